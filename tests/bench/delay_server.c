/*
 * `make bench`'s web server: answers `GET /delay/MS…` with 200 "ok" after MS milliseconds,
 * on 127.0.0.1, one epoll thread, so that thousands of connections can wait at once and
 * the server's own CPU stays small and measurable. `GET /served` answers at once with the
 * number of delayed answers sent so far, so the benchmark can tell that a peer really
 * reached the server. Every answer closes its connection. Anything else gets 404.
 *
 * Usage: delay_server PORT_FILE    (binds an ephemeral port and writes its number there)
 * Runs until SIGTERM or SIGINT.
 */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { REQUEST_MAX = 2048, EVENTS = 256 };

struct conn {
	int fd;
	size_t len;
	long long due_ms; /* when the answer is due; 0 while the request is incomplete */
	size_t heap_at;
	char buf[REQUEST_MAX];
};

/* The connections waiting for their answer, a min-heap on due_ms. */
static struct conn **heap;
static size_t heap_len, heap_cap;
static unsigned long served;
static volatile sig_atomic_t stop;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void heap_swap(size_t a, size_t b)
{
	struct conn *t = heap[a];
	heap[a] = heap[b];
	heap[b] = t;
	heap[a]->heap_at = a;
	heap[b]->heap_at = b;
}

static void heap_push(struct conn *c)
{
	if (heap_len == heap_cap) {
		heap_cap = heap_cap ? 2 * heap_cap : 1024;
		heap = realloc(heap, heap_cap * sizeof *heap);
		if (!heap) {
			perror("delay_server: realloc");
			exit(1);
		}
	}
	size_t i = heap_len++;
	heap[i] = c;
	c->heap_at = i;
	while (i > 0 && heap[(i - 1) / 2]->due_ms > heap[i]->due_ms) {
		heap_swap(i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static struct conn *heap_pop(void)
{
	struct conn *top = heap[0];
	heap_swap(0, --heap_len);
	for (size_t i = 0;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < heap_len && heap[l]->due_ms < heap[m]->due_ms)
			m = l;
		if (r < heap_len && heap[r]->due_ms < heap[m]->due_ms)
			m = r;
		if (m == i)
			break;
		heap_swap(i, m);
		i = m;
	}
	return top;
}

static void answer(struct conn *c, int status, const char *body)
{
	char out[256];
	int n = snprintf(out, sizeof out,
			 "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
			 "Connection: close\r\n\r\n%s",
			 status, status == 200 ? "OK" : "Not Found", strlen(body), body);
	/* a short answer to a fresh socket fits its buffer: one write */
	if (write(c->fd, out, (size_t)n) != n)
		fprintf(stderr, "delay_server: short write: %s\n", strerror(errno));
	close(c->fd);
	free(c);
}

/* A complete request: due at once (/served, 404) or after its delay. */
static void route(struct conn *c)
{
	long ms;
	char rest;
	if (sscanf(c->buf, "GET /delay/%ld%c", &ms, &rest) == 2 && ms >= 0 &&
	    (rest == ' ' || rest == '?' || rest == '/')) {
		c->due_ms = now_ms() + ms;
		heap_push(c);
	} else if (!strncmp(c->buf, "GET /served ", 12)) {
		char body[32];
		snprintf(body, sizeof body, "%lu", served);
		answer(c, 200, body);
	} else {
		answer(c, 404, "not found");
	}
}

static void on_readable(int ep, struct conn *c)
{
	for (;;) {
		ssize_t n = read(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0 || (c->len += (size_t)n) == sizeof c->buf - 1) {
			/* closed, failed or too long before the request was complete */
			epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
			close(c->fd);
			free(c);
			return;
		}
		c->buf[c->len] = '\0';
		if (strstr(c->buf, "\r\n\r\n")) {
			epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
			route(c);
			return;
		}
	}
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: delay_server PORT_FILE\n");
		return 2;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t addr_len = sizeof addr;
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) || listen(lfd, SOMAXCONN) ||
	    getsockname(lfd, (struct sockaddr *)&addr, &addr_len)) {
		perror("delay_server: listen");
		return 1;
	}
	int ep = epoll_create1(0);
	struct epoll_event lev = {.events = EPOLLIN, .data.ptr = NULL};
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);

	char tmp[4096];
	snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
	FILE *f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", ntohs(addr.sin_port)) < 0 || fclose(f) || rename(tmp, argv[1])) {
		perror("delay_server: port file");
		return 1;
	}

	struct epoll_event events[EVENTS];
	while (!stop) {
		long long wait = -1;
		if (heap_len) {
			wait = heap[0]->due_ms - now_ms();
			wait = wait < 0 ? 0 : wait;
		}
		int n = epoll_wait(ep, events, EVENTS, (int)wait);
		if (n < 0 && errno != EINTR) {
			perror("delay_server: epoll_wait");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			if (events[i].data.ptr) {
				on_readable(ep, events[i].data.ptr);
				continue;
			}
			int fd;
			while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
				struct conn *c = calloc(1, sizeof *c);
				if (!c) {
					close(fd);
					continue;
				}
				c->fd = fd;
				struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
				epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
				on_readable(ep, c); /* the request is often there already */
			}
		}
		for (long long t = now_ms(); heap_len && heap[0]->due_ms <= t;) {
			served++;
			answer(heap_pop(), 200, "ok");
		}
	}
	return 0;
}
