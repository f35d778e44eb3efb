a: {{ printf "%v|%v|%v|%q|%5.1f|%x|%08.3f|%+v|%s" (list nil 1) nil (dict "a" nil) (list "a" "b") 3.14159 -255 3.14159 (dict "a" 1) (list "x" 2) }}
b: {{ print nil }}|{{ list nil "a" }}|{{ with 0 }}x{{ else }}zero{{ end }}|{{ with dict }}x{{ else }}empty{{ end }}|{{ if list 1 }}nonempty{{ end }}
c: {{ range $k, $v := dict "b" 2 "a" 1 }}{{ $k }}{{ $v }}{{ end }}|{{ range $i, $m := list (dict "n" 1) (dict "n" 2) }}{{ $i }}:{{ $m.n }}{{ end }}
d: {{ toYaml (list 0.1 1e-10 123456789012.0 1e15 1e16 -2.5 0.0 100 12345678.9 1e21) | replace "\n" " " }}
e: {{ typeOf (fromYaml "a: 1").a }} {{ (fromYaml "a: 1.0").a }} {{ (fromYaml "a: 0x10").a }} {{ (fromYaml "a: 1e3").a }} {{ (fromYaml "a: yes").a }} {{ (fromYaml "a: 2021-01-01").a }} {{ (fromYaml "a: ~").a }} {{ (fromYaml "a: 012").a }}
f: {{ toJson (list 0.1 1e-10 123456789012.0 1e15 1e21 -0.0 100) }}
g: {{ int "3.7" }} {{ int "1e3" }} {{ int "0x10" }} {{ int64 "12" }} {{ int 3.9 }} {{ int -3.9 }} {{ float64 "abc" }} {{ atoi "3.5" }} {{ int true }} {{ int nil }}
h: {{ trimAll "ab" "abcxba" }} {{ trimPrefix "ab" "abab" }} {{ b64dec "!!!" }} {{ splitn "," 2 "a,b,c" }} {{ regexFindAll "[0-9]" "a1b2c3" 2 }} {{ regexSplit "[,;]" "a,b;c" 2 }}
i: {{ semverCompare ">=1.2.3-alpha" "1.2.3-beta" }} {{ semverCompare "<1.2.3" "1.2.3-beta" }} {{ semverCompare "1.2.x" "1.2.9" }} {{ semverCompare "~1.2" "1.2.9" }} {{ semverCompare "^0.2.3" "0.2.9" }} {{ semverCompare "^0.2.3" "0.3.0" }} {{ semverCompare "1.2 - 1.4" "1.4.5" }} {{ semverCompare ">= 1.2, < 2" "1.9" }} {{ semverCompare "!=1.2.3" "1.2.3" }} {{ semverCompare "*" "1.0.0" }} {{ semver "v1.2.3" }} {{ (semver "1.2.3-rc.1").Prerelease }}
j: {{ list "b" "10" "a" "2" | sortAlpha }} {{ default (list 1) (list) }} {{ default (dict "a" 1) nil | toJson }} {{ toString (list 1 "a") }} {{ toString nil }} {{ toString (dict "a" 1) }} {{ quote 1 true 1.5 }} {{ squote 2 }} {{ cat "a" nil 1 (list 2) }}
k: {{ dateInZone "2006-01-02T15:04:05Z07:00 Mon Jan _2 3:04PM .000" 1700000000 "UTC" }} {{ date "02/01/06" 86400 }} {{ duration 95 }} {{ duration 3700 }} {{ durationRound "2h10m" }} {{ durationRound "50s" }} {{ unixEpoch (toDate "2006-01-02" "2020-01-02") }}
l: {{ upper "héllo" }} {{ title "hello-world foo_bar" }} {{ kebabcase "HTTPServer" }} {{ snakecase "fooBarBaz" }} {{ camelcase "hello_world-foo" }} {{ wrapWith 5 "\t" "aaa bbb ccc" | quote }} {{ abbrevboth 5 10 "1234 5678 9123" }} {{ initials "First Try" }} {{ substr 0 3 "hello" }} {{ swapcase "Hello" }}
m: {{ uniq (list "a" "b" "a") }} {{ compact (list "" nil 0 false "x") }} {{ until -3 }} {{ untilStep 10 0 -3 }} {{ seq 5 }} {{ seq 2 5 }} {{ seq 5 -1 2 }} {{ seq 0 }}
n: {{ add 1.5 2 }} {{ mul 1.5 2 }} {{ max 1.5 2 }} {{ round 1.2345 2 }} {{ ceil 1.2 }} {{ floor -1.5 }} {{ randAlphaNum 5 | len }} {{ addf 1.5 2 }} {{ subf 5 1.5 }} {{ maxf 1 2.5 }} {{ minf 1 2.5 }} {{ div 7 -2 }} {{ mod -7 3 }} {{ add1f 1 }}
o: {{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }} {{ keys (dict "a" 1) (dict "b" 2) | sortAlpha }} {{ mergeOverwrite (dict "a" (dict "b" 1 "c" 2)) (dict "a" (dict "b" 3 "d" (list 1))) | toJson }} {{ dig "x" "d" (dict) }} {{ $d := dict "a" 1 }}{{ set $d "b" 2 | toJson }} {{ unset $d "a" | toJson }} {{ $c := deepCopy $d }}{{ $_ := set $c "z" 1 }}{{ $d | toJson }}
p: {{ (urlParse "https://user:pw@host.com:8080/a/b?x=1&y=2#frag") | toJson }}
q: {{ sha1sum "abc" }} {{ adler32sum "abc" }} {{ b32enc "hi" }} {{ b32dec "NBUQ====" }} {{ indent 0 "a\nb" | quote }} {{ nindent 0 "a" | quote }} {{ replace "" "-" "abc" }} {{ repeat 0 "a" | quote }}
r: {{ toPrettyJson (list 1 (dict) (list)) | replace "\n" "\\n" }} {{ toRawJson (dict "a" "<&>" "b" (list)) }} {{ typeOf (semver "1.0.0") }} {{ typeOf now }} {{ kindIs "slice" (list) }} {{ kindOf (semver "1.0.0") }}
s: {{ toYaml (dict "k" (list (dict "a" "x\ny" "b" (list)) "- z")) | replace "\n" "|" }}
t: {{ toYaml (dict "a" 1 "b" (dict "c" (dict "d" (list (list 1 (dict "e" 2)))))) | replace "\n" "|" }}
u: {{ toYaml "multi\nline" | quote }} {{ toYaml (list "a\nb") | quote }} {{ toYaml (list (list)) | quote }} {{ toYaml (dict "" 1 "null" 2 "~" 3) | quote }}
