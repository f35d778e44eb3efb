# syntax=docker/dockerfile:1.7
FROM debian:bookworm-slim
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends curl=7.88.1-10
EOF
RUN <<-EOT bash
	echo "tabs stripped"
	EOT
COPY <<CONF /etc/app.conf
listen = ${PORT:-8080}
CONF
RUN <<A cat > /a && <<"B" sh
a body
A
echo "quoted delimiter: $HOME not expanded"
B
RUN python3 <<PY
print("not a shell script")
PY
