# A real RSA key, its JWK set (served by the stand-in as the identity provider's) and a signed JWT,
# with openssl alone. Sourced after nginx.sh, before start_nginx.
ISSUER=https://idp.bench.internal
AUDIENCE=dingtalk-gateway

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

make_jwks() {
  openssl genrsa -out "$WORK/idp-key.pem" 2048 2> /dev/null
  local modulus
  modulus=$(openssl rsa -in "$WORK/idp-key.pem" -noout -modulus | cut -d= -f2 | xxd -r -p | b64url)
  printf '{"keys":[{"kty":"RSA","kid":"bench-1","use":"sig","alg":"RS256","n":"%s","e":"AQAB"}]}' "$modulus" \
    > "$WORK/jwks.json"
}

signed_jwt() { # scopes; valid for a day
  local now header claims signature
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT","kid":"bench-1"}' | b64url)
  claims=$(printf '{"iss":"%s","aud":"%s","sub":"hr-bench","azp":"hr-bench","scope":"%s","dingtalk_userid":"user1002","iat":%d,"nbf":%d,"exp":%d}' \
    "$ISSUER" "$AUDIENCE" "$1" "$now" "$now" $((now + 86400)) | b64url)
  signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -sign "$WORK/idp-key.pem" | b64url)
  printf '%s.%s.%s' "$header" "$claims" "$signature"
}
