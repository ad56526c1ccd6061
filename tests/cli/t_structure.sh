# The seams of the code, checked on the sources: the store is the only door to the
# database (each table's SQL in its owner only, as the list at the top of lib/store.h
# says), and commands compose library calls instead of running one another.

src=$CLI_DIR/../..

# owners: "table owner.c" lines read from the list at the top of lib/store.h
owners() {
	sed -n 's|^ \*   \([a-z_, ]*[a-z]\) *lib/\([a-z_]*\.c\) .*|\1 \2|p' "$src/lib/store.h" |
		while read -r line; do
			local file=${line##* } tables=${line% *}
			tr ',' '\n' <<<"$tables" | while read -r table; do echo "$table $file"; done
		done
}

# the C sources other than the migrations, whose schema names every table
sources_without_migrations() {
	local f
	for f in "$src"/lib/*.c "$src"/lib/text/*.c "$src"/cmd/*.c; do
		if [[ $f == */lib/store.c ]]; then
			# everything but the migrations array, which ends at the first "};" after it
			awk '/^static const char \*const migrations\[/ { skip = 1 } !skip { print FILENAME ":" FNR ":" $0 }
			     skip && /^};/ { skip = 0 }' "$f"
		else
			awk '{ print FILENAME ":" FNR ":" $0 }' "$f"
		fi
	done
}

test_every_table_has_one_owner() {
	local list
	list=$(owners)
	[[ -n $list ]] || fail 'no table → owner list found at the top of lib/store.h'
	local tables
	tables=$(grep -o 'CREATE TABLE [a-z_]*' "$src/lib/store.c" | awk '{ print $3 }' | sort -u)
	local table
	for table in $tables; do
		[[ $(awk -v t="$table" '$1 == t' <<<"$list" | wc -l) -eq 1 ]] ||
			fail "table '$table' has no single owner in lib/store.h's list"
	done
}

test_only_owners_include_store_sql() {
	local owners_files f
	owners_files=$(owners | awk '{ print $2 }' | sort -u)
	for f in $(grep -l '#include "store_sql.h"' "$src"/lib/*.c "$src"/lib/text/*.c "$src"/cmd/*.c); do
		grep -qx "$(basename "$f")" <<<"$owners_files" ||
			fail "$(basename "$f") includes store_sql.h but owns no table"
	done
}

test_sql_names_a_table_only_in_its_owner() {
	local all table owner hits
	all=$(sources_without_migrations)
	while read -r table owner; do
		hits=$(grep -E "(FROM|INTO|UPDATE|JOIN|TABLE) +$table\b" <<<"$all" | grep -v "/lib/$owner:" || true)
		[[ -z $hits ]] || fail "SQL naming table '$table' outside lib/$owner:
$hits"
	done < <(owners)
}

test_commands_do_not_run_commands() {
	local f hits
	for f in "$src"/cmd/*.c; do
		[[ $f == */main.c ]] && continue
		# a call of a command handler other than the file's own definition
		hits=$(grep -nE '\bcmd_[a-z]+\(' "$f" | grep -vE '^[0-9]+:int cmd_[a-z]+\(int argc' || true)
		[[ -z $hits ]] || fail "$(basename "$f") calls a command: $hits"
	done
	hits=$(grep -nE 'cli->(quiet|json|verbose) *=[^=]' "$src"/cmd/*.c | grep -v '/cmd/main.c:' || true)
	[[ -z $hits ]] || fail "a command changes the global output flags: $hits"
}
