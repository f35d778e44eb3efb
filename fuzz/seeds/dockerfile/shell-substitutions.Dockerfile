FROM ubuntu:24.04
RUN VERSION=$(curl -fsSL https://example.invalid/v | tr -d '\n') && echo "v=$VERSION" > /v
RUN for f in $(ls /etc/*.conf); do echo "$f"; done; if [ -f /x ]; then rm /x; else touch /x; fi
RUN sh -c "apt-get update && apt-get install -y 'nginx=1.24*'" && bash -exc 'pip install "django<5"'
RUN echo `uname -m` $(( 1 + 2 )) ${HOME:-/root} $'tab\there' "nested $(echo "$(id -u)")"
RUN exec 3>&1; cmd 2>&1 >/dev/null | tee log &>/dev/null & wait; cat <<< "here string"
RUN case "$X" in a) echo a;; *) echo b;; esac || true
RUN { echo group; } && ( cd /tmp && make ) ; ! false
RUN busybox sh -c 'wget -qO- https://example.invalid | sh'
