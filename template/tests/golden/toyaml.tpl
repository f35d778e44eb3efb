a: {{ toYaml "hello" | quote }}
b: {{ toYaml (dict "k" "a\n\n") | quote }}
c: {{ toYaml (dict "k" "a\n\nb\n") | quote }}
d: {{ toYaml (list "x") | quote }}
e: {{ toYaml (dict "k" "  lead\nx") | quote }}
f: {{ toYaml (dict "k" "tab\there and a long long long long long long long long long long long long long long text") | quote }}
g: {{ toYaml (dict "k" "emoji 😀 é ü") | quote }}
h: {{ toYaml (dict "k" "trail \nx") | quote }}
i: {{ toYaml (dict "a\nb" 1 "x y" 2 "-a" 3 "a:b" 4 "#c" 5 "@x" 6 "ab1" 1 "ab01" 2 "ab10" 3 "Ab" 4) | quote }}
j: {{ toYaml (dict "k" (list (list) (dict) "" nil true 1.5 "1.5" "0x1F" "1e3" "yes" "Off" "~" "null" "- a" "a #b" "a# b" "? x" "*x" "!x" "%x" "[x" "x]" "," "key: " " x" "x " "2001-12-14t21:59:43.10-05:00" "1_000" "0o17" "+1" ".5" "-.inf" ".NaN")) | quote }}
k: {{ toYaml 12 | quote }} {{ toYaml nil | quote }} {{ toYaml (list) | quote }} {{ toYaml 1.5 | quote }}
l: {{ toYaml (dict "k" "a very long string without spaces aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa and then more words after it that go on") | quote }}
m: {{ toYaml (dict "k" "it's a 'quoted' string: with colon and a long long long long long long long long long long long long long tail") | quote }}
n: {{ toYaml (dict "k" (list (dict "a" (list 1 2) "b" (dict "c" "d")))) | quote }}
o: {{ toYaml (dict "k" "x\r\ny") | quote }} {{ toYaml (dict "k" "\n") | quote }} {{ toYaml (dict "k" "a\n") | quote }}
