# toToml of values, of built maps and lists, and fromToml.
values: |
{{ toToml .Values | indent 2 }}
built: |
{{ toToml (dict "name" "api" "port" 80 "ratio" 0.5 "big" 1e21 "neg" -0.0 "on" true "tags" (list "a" "b") "weird key" "x\"y\\z\n\ttab" "" "empty" "server" (dict "host" "h" "tls" (dict "enabled" false) "ports" (list 1 2)) "list" (list (dict "a" 1) (dict "b" (dict "c" 2))) "nested" (list (list (dict "x" 1 "y" (dict "z" 1)))) "emptymap" (dict) "emptylist" (list) "nil" nil "inline" (list (dict "k" "v" "n" nil "s" (dict "t" 1)))) | indent 2 }}
errors: {{ toToml "scalar" | quote }} {{ toToml (dict "a" (list 1 nil)) | quote }} {{ toToml (list 1 2) | quote }}
read: {{ fromToml "a = 1\nb = 1.5\nc = \"s\"\nd = true\ne = [1, 2]\n[t]\nx = 'lit'\n[[arr]]\ny = 1\n[[arr]]\ny = 2\n" | toJson }}
types: {{ $t := fromToml "i = 1\nf = 2.0\nd = 1979-05-27T07:32:00-08:00" }}{{ typeOf $t.i }} {{ typeOf $t.f }} {{ typeOf $t.d }} {{ $t.d | date "2006-01-02T15:04:05Z07:00" }}
roundtrip: {{ (fromToml (toToml (dict "a" (dict "b" "c")))).a.b }}
bad: {{ hasKey (fromToml "a = = 1") "Error" }}
top: {{ toToml (list (dict "a" 1)) | quote }} {{ toToml 1.5 | quote }} {{ toToml 123456.0 | quote }} {{ toToml 0.00001 | quote }}
floats: {{ toToml (dict "f" 100000.0 "g" 123456.0 "h" 0.00001 "i" 1e300 "j" 12345678.0) | quote }}
mixed: {{ toToml (dict "l" (list (dict "a" 1) 2)) | quote }}
deep: {{ toToml (dict "a" (dict "b" (dict "c" (dict "d" 1)))) | quote }}
keys: {{ toToml (dict "é" 1 "a.b" 2) | quote }}
time: {{ toToml (dict "t" (toDate "2006-01-02" "2021-03-04")) | quote }}
