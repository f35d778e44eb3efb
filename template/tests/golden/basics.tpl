a: {{ .Values.replicas }}
b: {{ .Values.big }}
c: {{ .Values.flt }}
d: {{ printf "%v|%T|%T" .Values.nope .Values.big .Values.date }}
e: {{ .Values.nope }}
f: {{ toYaml (dict "big" .Values.big "s" "true" "e" "" "n" "123" "d" "2021-01-01" "t" "12:30" "x" "a: b" "l" (list) "m" (dict) "ml" "a\nb" "ml2" "a\nb\n" "tab" "a\tb" "a10" 1 "a2" 2 "B" 1 "_x" 1 "1x" 2 "nil" nil "f" 1e20 "g" 0.0000001 "long" "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt" "ls" (list 1 (dict "a" 1 "b" (list 2 3)) (list 4 5))) | nindent 2 }}
g: {{ typeOf 1 }} {{ typeOf 1.0 }} {{ typeOf (add 1 2) }} {{ typeOf (list 1) }} {{ typeOf .Values.nested }}
h: {{ 1.0 }} {{ 1e6 }} {{ 3.14159 }} {{ 'a' }} {{ 0x10 }}
i: {{ printf "%d %5.2f %q %x %v %s" 3 3.14159 "hi" "hi" (list 1 "a") (dict "a" 1) }}
j: {{ print 1 2 "a" "b" 3 }}
k: {{ .Values | toJson }}
l: {{ .Values.nested | toPrettyJson | nindent 2 }}
m: {{ dict "a" "<&>" | toRawJson }} {{ 1e-7 | toJson }} {{ 1e21 | toJson }} {{ 123456789.0 | toJson }}
n: {{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $d | toJson }} {{ merge (dict "a" 1 "n" (dict "x" 1)) (dict "a" 2 "b" 3 "n" (dict "y" 2)) | toJson }} {{ mergeOverwrite (dict "a" 1 "k" true "n" (dict "x" 1)) (dict "a" 2 "k" false "n" (dict "x" 3)) | toJson }}
o: {{ default "d" .Values.nope }} {{ default "d" "" }} {{ default "d" 0 }} {{ default "d" false }} {{ coalesce "" .Values.nope "c" }} {{ ternary "y" "n" true }} {{ empty (dict) }}
p: {{ trunc 3 "abcdef" }} {{ trunc -2 "abcdef" }} {{ trimSuffix "-" "ab-" }} {{ trimAll "-" "--a--" }} {{ upper "abc" }} {{ title "hello world" }} {{ quote "a\"b" 1 nil }} {{ squote "x" }} {{ replace "a" "b" "banana" }} {{ contains "an" "banana" }}
q: {{ add 1 2 3 }} {{ sub 5 2 }} {{ mul 2 3 }} {{ div 7 2 }} {{ mod 7 2 }} {{ max 1 5 3 }} {{ min 4 2 }} {{ add1 .Values.replicas }} {{ int "42" }} {{ int64 3.9 }} {{ float64 "1.5" }} {{ floor 1.7 }} {{ mulf 1.5 2 }} {{ divf 1 3 }}
r: {{ list 1 2 3 | join "," }} {{ splitList "," "a,b" }} {{ split "," "a,b" }} {{ list "b" "a" | sortAlpha }} {{ uniq (list 1 1 2) }} {{ without (list 1 2 3) 2 }} {{ has 2 (list 1 2) }} {{ first (list 1 2) }} {{ last (list 1 2) }} {{ rest (list 1 2 3) }} {{ initial (list 1 2 3) }} {{ reverse (list 1 2) }} {{ compact (list 1 "" 2) }} {{ concat (list 1) (list 2) }} {{ until 3 }} {{ untilStep 0 10 3 }} {{ slice (list 1 2 3) 1 }}
s: {{ keys (dict "b" 1 "a" 2) | sortAlpha }} {{ values (dict "a" 1) }} {{ pick (dict "a" 1 "b" 2) "a" }} {{ omit (dict "a" 1 "b" 2) "a" }} {{ hasKey (dict "a" 1) "a" }} {{ get (dict "a" 1) "b" }} {{ dig "a" "b" "def" (dict "a" (dict "b" "found")) }} {{ pluck "a" (dict "a" 1) (dict "a" 2) }}
t: {{ b64enc "hello" }} {{ b64dec "aGVsbG8=" }} {{ sha256sum "x" }} {{ sha1sum "x" }} {{ regexMatch "^a.c$" "abc" }} {{ regexFind "[0-9]+" "ab123c" }} {{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }} {{ regexReplaceAllLiteral "a" "aa" "$1" }} {{ regexSplit "," "a,b,c" -1 }}
u: {{ semverCompare ">=1.19-0" "v1.28.3" }} {{ semverCompare "^1.2.0" "1.3.0" }} {{ semverCompare "~1.2.0" "1.3.0" }} {{ semverCompare ">1.0.0 <2.0.0 || >=3" "3.1.0" }} {{ (semver "1.2.3-beta.1+m").Major }} {{ semverCompare ">=1.0.0" "1.2.3-beta" }}
v: {{ kindOf 1 }} {{ kindOf "a" }} {{ kindOf (list) }} {{ kindOf (dict) }} {{ kindIs "map" .Values }} {{ typeIs "float64" 1.5 }} {{ toString 1.5 }} {{ atoi "12" }} {{ cat "a" 1 nil "b" }} {{ indent 2 "a\nb" }} {{ nindent 2 "a" }}
w: {{ kebabcase "FooBar" }} {{ snakecase "FooBar" }} {{ camelcase "foo_bar" }} {{ untitle "Hello World" }} {{ substr 1 3 "abcdef" }} {{ abbrev 5 "hello world" }} {{ repeat 3 "ab" }} {{ nospace "a b c" }} {{ initials "hello world" }} {{ plural "one" "many" 2 }} {{ wrap 5 "aaa bbb ccc" }}
x: {{ base "/a/b.txt" }} {{ dir "/a/b.txt" }} {{ ext "a.tar.gz" }} {{ clean "a/../b/./c" }} {{ urlquery "a b" }} {{ (urlParse "https://u@h:8080/p?q=1#f").hostname }} {{ toYaml .Values.nested | indent 4 }}
y: {{ fromYaml "a: 1\nb: [x, 2]" | toJson }} {{ fromYaml "- 1" | toJson }} {{ fromJson "{\"a\": 1}" | toJson }} {{ fromYamlArray "- a\n- 1" | toJson }} {{ fromJsonArray "[1,\"a\"]" | toJson }}
z: {{ tpl "{{ .Values.str }}-x" . }} {{ include "def" . }} {{ lookup "v1" "Pod" "ns" "n" }}
{{- define "def" }}[{{ .Values.str }}]{{ end }}
