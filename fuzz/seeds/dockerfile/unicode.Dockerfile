FROM alpine:3.20
LABEL description="café ☕ naïve — 日本語" emoji="🐳"
RUN echo "é" && echo 'ü' \
    && echo ☃=❄ && apk add pkg-ß=1.0-é
ENV CLÉ=valeur
RUN <<EOF
echo "heredoc 🐳"
EOF
	RUN	echo	tabs
