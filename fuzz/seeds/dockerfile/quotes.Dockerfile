FROM alpine
RUN echo "unterminated
RUN echo 'single "double" inside' "double 'single' inside" \"escaped\"
RUN echo "$(echo \"inner\")" `echo \`nested\`` $'\'' "\\" '\'
RUN echo $( unbalanced && echo `open
RUN echo ${UNCLOSED && echo "${A:-"${B:-c}"}"
RUN echo \
