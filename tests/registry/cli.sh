#!/bin/bash
# registryctl's commands driven through the real binary: recording events,
# the rules refusing what makes no sense (exit 1, with the reason), bad
# usage (exit 2), show and org show, --help and --version.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/helpers.bash"
DB="$TMP/r.db"

check_exit "cli-1.1 --version" 0 rctl --version
check_contains "cli-1.1 --version names the program" "$TMP/.out" "registryctl "
check_exit "cli-1.2 --help" 0 rctl --help
check_contains "cli-1.2 --help lists publish" "$TMP/.out" "publish SNAPSHOT"
check_exit "cli-1.3 no command is bad usage" 2 rctl --db "$DB"
check_exit "cli-1.4 unknown command is bad usage" 2 rctl --db "$DB" frobnicate
check_contains "cli-1.4 says which" "$TMP/.err" "registryctl: unknown command frobnicate"
check_exit "cli-1.5 command --help" 0 rctl rectify --help
check_contains "cli-1.5 help shows usage" "$TMP/.out" "rectify CERT --deadline DATE"
for c in init org issue annual-check warn rectify rectify-close suspend \
	reinstate revoke transfer renew upgrade void show import export \
	publish sample; do
	check_exit "cli-1.6 $c --help" 0 rctl "$c" --help
done
check_exit "cli-1.7 a database that is not initialised" 1 rctl --db "$TMP/none.db" show X
check_exit "cli-1.8 init" 0 rctl --db "$DB" init
check_exit "cli-1.9 init twice is fine" 0 rctl --db "$DB" init

# Organisations.
check_exit "org-2.1 add" 0 rctl --db "$DB" org add "示例甲云安全有限公司" \
	--credit-code 91350100M000100Y43 --address "示例市一路1号" --date 2020-01-01
check_eq "org-2.1 prints the id" "1" "$(cat "$TMP/.out")"
check_exit "org-2.2 a bad credit code is refused" 1 rctl --db "$DB" org add "乙" \
	--credit-code 91350100M000100Y4X --date 2020-01-01
check_contains "org-2.2 says why" "$TMP/.err" "check character is 'X', expected '3'"
check_exit "org-2.3 a credit code used twice is refused" 1 rctl --db "$DB" org add "丙" \
	--credit-code 91350100M000100Y43 --date 2020-01-01
check_contains "org-2.3 names the holder" "$TMP/.err" "already belongs to organisation 1"
check_exit "org-2.4 abroad, no credit code" 0 rctl --db "$DB" org add "Example Ltd (Sample)" --date 2020-01-01
check_exit "org-2.5 a date that does not exist is bad usage" 2 rctl --db "$DB" org add "丁" --date 2023-02-29
check_exit "org-2.6 rename" 0 rctl --db "$DB" org rename 1 "示例甲云安全股份有限公司" --date 2024-06-01
check_exit "org-2.7 rename by credit code to the same name is refused" 1 \
	rctl --db "$DB" org rename 91350100M000100Y43 "示例甲云安全股份有限公司" --date 2024-07-01
check_exit "org-2.8 show" 0 rctl --db "$DB" org show 1
check_contains "org-2.8 current name" "$TMP/.out" "示例甲云安全股份有限公司"
check_contains "org-2.8 former name" "$TMP/.out" "former_name     示例甲云安全有限公司 (until 2024-05-31)"

# A certificate's life.
check_exit "cert-3.1 issue" 0 rctl --db "$DB" issue --org 1 --date 2024-03-01 --ref "公告2024-1"
C=$(cat "$TMP/.out")
check_eq "cert-3.1 number format" "CNITSEC-CS1-2024-0001" "$C"
check_exit "cert-3.2 next number" 0 rctl --db "$DB" issue --org 2 --level 3 --category SI --date 2024-05-01
check_eq "cert-3.2 number has category and level" "CNITSEC-SI3-2024-0001" "$(cat "$TMP/.out")"
C2=CNITSEC-SI3-2024-0001
check_exit "cert-3.3 level 6 is bad usage" 2 rctl --db "$DB" issue --org 1 --level 6
check_exit "cert-3.4 unknown category is refused" 1 rctl --db "$DB" issue --org 1 --category XX --date 2024-03-01
check_exit "cert-3.5 unknown organisation is refused" 1 rctl --db "$DB" issue --org 99 --date 2024-03-01
check_exit "cert-3.6 annual check before its window" 1 rctl --db "$DB" annual-check "$C" --date 2025-01-29
check_contains "cert-3.6 says when it opens" "$TMP/.err" "the first annual check window only opens on 2025-01-30"
check_exit "cert-3.7 annual check in the window" 0 rctl --db "$DB" annual-check "$C" --date 2025-01-30
check_exit "cert-3.8 a warning needs a reason" 1 rctl --db "$DB" warn "$C" --date 2025-04-01
check_contains "cert-3.8 says so" "$TMP/.err" "warn needs a reason"
check_exit "cert-3.9 warn" 0 rctl --db "$DB" warn "$C" --date 2025-04-01 --reason "迟报"
W=$(cat "$TMP/.out")
check_exit "cert-3.10 rectify needs a deadline" 2 rctl --db "$DB" rectify "$C" --reason x
check_exit "cert-3.11 rectify" 0 rctl --db "$DB" rectify "$C" --date 2025-04-02 --deadline 2025-05-31 --reason "整改"
check_exit "cert-3.12 reinstate without a suspension" 1 rctl --db "$DB" reinstate "$C" --date 2025-05-01
check_contains "cert-3.12 says why" "$TMP/.err" "registryctl: CNITSEC-CS1-2024-0001: reinstate on 2025-05-01: the certificate is not suspended"
check_exit "cert-3.13 suspend" 0 rctl --db "$DB" suspend "$C" --date 2025-06-01 --reason "整改不合格"
check_exit "cert-3.14 show while suspended" 0 rctl --db "$DB" show "$C" --as-of 2025-06-15
check_contains "cert-3.14 status" "$TMP/.out" "status          suspended 暂停 since 2025-06-01"
check_contains "cert-3.14 flags" "$TMP/.out" "flags           warning, rectification"
check_contains "cert-3.14 deadline" "$TMP/.out" "deadline        2025-05-31 (1 open)"
check_exit "cert-3.15 suspend twice" 1 rctl --db "$DB" suspend "$C" --date 2025-06-10 --reason x
check_exit "cert-3.16 reinstate" 0 rctl --db "$DB" reinstate "$C" --date 2025-07-01
check_exit "cert-3.17 close the order" 0 rctl --db "$DB" rectify-close "$C" --date 2025-07-01
check_exit "cert-3.18 no order left to close" 1 rctl --db "$DB" rectify-close "$C" --date 2025-07-02
check_exit "cert-3.19 void the warning" 0 rctl --db "$DB" void "$W" --reason "误录" --date 2025-07-03
check_exit "cert-3.20 void it again" 1 rctl --db "$DB" void "$W" --reason "again" --date 2025-07-04
check_contains "cert-3.20 says it is voided" "$TMP/.err" "is already voided by event"
check_exit "cert-3.21 void an organisation event" 1 rctl --db "$DB" void 1 --reason x
check_exit "cert-3.22 show after the void" 0 rctl --db "$DB" show "$C" --as-of 2025-07-05
check_contains "cert-3.22 valid again" "$TMP/.out" "status          valid 有效 since 2025-07-01"
check_contains "cert-3.22 voided warning stays in the history" "$TMP/.out" "[voided by #"
check_contains "cert-3.22 no warning flag" "$TMP/.out" "flags           none"
check_exit "cert-3.23 transfer" 0 rctl --db "$DB" transfer "$C" --to 2 --date 2025-08-01
check_exit "cert-3.24 transfer to the holder" 1 rctl --db "$DB" transfer "$C" --to 2 --date 2025-08-02
check_exit "cert-3.25 show after transfer" 0 rctl --db "$DB" show "$C" --as-of 2025-08-05
check_contains "cert-3.25 new holder" "$TMP/.out" "holder          Example Ltd (Sample) (organisation 2)"
check_contains "cert-3.25 both holders in history" "$TMP/.out" "from: 示例甲云安全股份有限公司 (organisation 1)  to: Example Ltd (Sample) (organisation 2)"
check_contains "cert-3.25 the holder's name at the time of issue" "$TMP/.out" "to: 示例甲云安全有限公司 (organisation 1)"
check_exit "cert-3.26 renew outside the window" 1 rctl --db "$DB" renew "$C" --date 2026-11-29
check_contains "cert-3.26 says the window" "$TMP/.err" "renewal is only possible from 2026-11-30 to 2027-02-28"
check_exit "cert-3.27 renew" 0 rctl --db "$DB" renew "$C" --date 2026-11-30
check_eq "cert-3.27 successor number" "CNITSEC-CS1-2026-0001" "$(cat "$TMP/.out")"
check_exit "cert-3.28 nothing after supersession" 1 rctl --db "$DB" warn "$C" --date 2026-12-01 --reason x
check_exit "cert-3.29 show superseded" 0 rctl --db "$DB" show "$C" --as-of 2026-12-01
check_contains "cert-3.29 status" "$TMP/.out" "status          superseded 已换发 since 2026-11-30"
check_contains "cert-3.29 successor" "$TMP/.out" "successor       CNITSEC-CS1-2026-0001"
check_exit "cert-3.30 upgrade must go up" 1 rctl --db "$DB" upgrade "$C2" --level 2 --date 2025-01-01
check_exit "cert-3.31 upgrade" 0 rctl --db "$DB" upgrade "$C2" --level 4 --date 2025-01-01
check_eq "cert-3.31 successor number" "CNITSEC-SI4-2025-0001" "$(cat "$TMP/.out")"
check_exit "cert-3.32 revoke" 0 rctl --db "$DB" revoke CNITSEC-SI4-2025-0001 --date 2025-03-01 --reason "严重违规"
check_exit "cert-3.33 nothing after revocation" 1 rctl --db "$DB" suspend CNITSEC-SI4-2025-0001 --date 2025-04-01 --reason x
check_contains "cert-3.33 says why" "$TMP/.err" "the certificate was revoked on 2025-03-01"
check_exit "cert-3.34 unknown certificate" 1 rctl --db "$DB" show CNITSEC-CS1-2024-9999
check_contains "cert-3.34 says which" "$TMP/.err" "no certificate CNITSEC-CS1-2024-9999"
check_exit "cert-3.35 an option the command does not take" 2 rctl --db "$DB" show "$C" --deadline 2025-01-01
check_exit "cert-3.36 invalid UTF-8 in a reason" 1 rctl --db "$DB" warn CNITSEC-CS1-2026-0001 --date 2027-01-01 --reason $'\xff'
check_exit "cert-3.37 a number that does not fit its level" 1 rctl --db "$DB" issue --org 1 --date 2024-03-01 --number CNITSEC-CS2-2024-0009

# The event log is append-only, whatever tool touches the file.
check_fails "log-4.1 UPDATE on events is refused" sqlite3 "$DB" "UPDATE events SET reason = 'x' WHERE id = 1"
check_contains "log-4.1 says why" "$TMP/.out" "events are append-only"
check_fails "log-4.2 DELETE on events is refused" sqlite3 "$DB" "DELETE FROM events"
check_fails "log-4.3 DELETE on certificates is refused" sqlite3 "$DB" "DELETE FROM certificates"
check_fails "log-4.4 changing a certificate's facts is refused" sqlite3 "$DB" "UPDATE certificates SET level = 5"
check_eq "log-4.5 events still there" "$(sqlite3 "$DB" 'SELECT count(*) FROM events')" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM events WHERE reason <> 'x' OR reason IS NULL")"
done_testing
