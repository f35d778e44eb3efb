a: {{ merge (dict "a" (dict "x" 1 "y" "") "l" (list 1) "e" "" "z" 0) (dict "a" (dict "y" "set" "w" 2) "l" (list 2) "e" "filled" "z" 5 "n" nil) | toJson }}
b: {{ mergeOverwrite (dict "a" (dict "x" 1) "l" (list 1) "s" "keep" "m" (dict "q" 1)) (dict "a" (dict "x" nil "y" 2) "l" (list) "s" "" "m" "str") | toJson }}
c: {{ first (list) }} {{ last (list) }} {{ rest (list) }} {{ initial (list) }}
d: {{ join "," (list 1 "a" nil true) }} {{ splitList "," "" }} {{ len (splitList "," "") }} {{ trimAll "-_" "-_a_-" }} {{ default "d" 0.0 }} {{ empty 0.0 }} {{ empty (list) }} {{ coalesce nil "" (list) "x" }}
e: {{ has 1 nil }} {{ without (list 1 2 3 2) 2 3 }} {{ pick (dict "a" 1) "b" | toJson }} {{ omit (dict "a" 1) "b" | toJson }} {{ sortAlpha "single" }} {{ list 3 1 2 | sortAlpha }}
f: {{ keys (dict) }} {{ get (dict) "x" | quote }} {{ hasKey (dict "a" nil) "a" }} {{ len (dict "a" 1 "b") }} {{ dict "a" 1 "b" | toJson }} {{ dict 1 2 | toJson }}
g: {{ append (list 1) (list 2) }} {{ prepend (list 1) 0 }} {{ concat (list 1) (list (list 2)) }} {{ reverse (list) }} {{ uniq (list (dict "a" 1) (dict "a" 1)) }} {{ compact (list 0 1) }}
h: {{ toJson (dict "f" 1.0 "g" 2.50 "h" 1e6 "i" -0.000001 "j" 0.0000001 "k" 12345678912345678) }}
i: {{ ternary 1 2 false }} {{ quote "" }} {{ squote "" }} {{ quote nil }} {{ cat }} {{ upper "" | quote }} {{ printf "%05s|%-05d|%x|%X|% d" "ab" 3 "hi" 255 5 }}
j: {{ regexReplaceAll "(?P<first>[a-z]+) (?P<last>[a-z]+)" "john smith" "${last}, ${first}" }} {{ regexReplaceAll "a" "aaa" "$0$0" }} {{ regexFindAll "a" "aaa" -1 }} {{ regexSplit "a" "banana" -1 }} {{ regexQuoteMeta "a.b*c" }}
k: {{ int64 "0x1F" }} {{ int "012" }} {{ int "  5" }} {{ float64 "1e2" }} {{ add "3" "4" }} {{ sub 1.9 0.9 }} {{ mulf "2" 3 }} {{ round 2.5 0 }} {{ round -2.5 0 }} {{ div 10 3 | typeOf }} {{ len "héllo" }}
