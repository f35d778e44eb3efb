{{ until 300000 | uniq | len }}
