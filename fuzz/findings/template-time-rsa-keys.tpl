{{ range until 1000 }}{{ genPrivateKey "rsa" | len }}{{ end }}
