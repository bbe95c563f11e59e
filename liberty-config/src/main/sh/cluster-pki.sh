# shellcheck shell=bash
# The local cluster's certificates (sourced by ./cluster; docs/security.md "Between nodes"). Made once per
# cluster with the JDK's keytool, in $STATE/pki (mode 700):
#   ca.p12          the cluster CA's key (EC P-256, 10 years); its password in ca.password, never given to nodes
#   ca.pem          the CA's certificate: what clients trust (curl --cacert) and every node keystore holds
#   nI.p12          node I's keystore (PKCS12): its key and a certificate for CN=nI (2 years, SAN localhost,
#                   127.0.0.1 and its --netns address) from the CA, and the CA as trusted entry. Used for
#                   node-to-node sealing and Liberty's HTTPS alike; its password in keystore.password
# A node started by `add --foreign-ca` gets its certificate from a second CA (foreign/), one no node trusts:
# what the refusal tests start.

pki_dir() { echo "$STATE/pki"; }

pki_keytool() {
  keytool "$@" >>"$(pki_dir)/keytool.log" 2>&1 || die "keytool $1 failed; see $(pki_dir)/keytool.log"
}

pki_secret() { # the password in file $1, generated on first use
  [[ -f $1 ]] || (umask 077; head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$1")
  cat "$1"
}

# pki_ca DIR NAME: the CA in DIR, made when missing.
pki_ca() {
  local dir=$1 name=$2
  [[ -f $dir/ca.pem ]] && return 0
  command -v keytool >/dev/null || die "keytool (from the JDK) is needed to make the cluster's certificates"
  (umask 077; mkdir -p "$dir")
  local pass; pass="$(pki_secret "$dir/ca.password")"
  pki_keytool -genkeypair -alias ca -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA -validity 3650 \
    -dname "CN=$name $(date -u +%Y%m%dT%H%M%SZ)" -ext bc:c -ext KU=keyCertSign,cRLSign \
    -keystore "$dir/ca.p12" -storetype PKCS12 -storepass "$pass"
  pki_keytool -exportcert -rfc -alias ca -file "$dir/ca.pem" -keystore "$dir/ca.p12" -storepass "$pass"
}

# pki_node I [foreign]: node I's keystore path, issued when missing (from the foreign CA when asked).
pki_node() {
  local i=$1 dir name="RaftStore local cluster CA"; dir="$(pki_dir)"
  if [[ ${2:-} == foreign ]]; then dir="$(pki_dir)/foreign"; name="RaftStore FOREIGN test CA"; fi
  local out="$dir/n$i.p12"
  if [[ ! -f $out ]]; then
    pki_ca "$dir" "$name"
    local capass pass; capass="$(cat "$dir/ca.password")"; pass="$(pki_secret "$(pki_dir)/keystore.password")"
    # Generated in the CA's keystore (keytool signs with -signer only there), moved out, then deleted there.
    pki_keytool -genkeypair -alias "n$i" -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA -validity 730 \
      -dname "CN=n$i" -signer ca -ext "SAN=dns:localhost,ip:127.0.0.1,ip:$(net_host "$i")" \
      -ext KU=digitalSignature,keyAgreement -ext EKU=serverAuth,clientAuth \
      -keystore "$dir/ca.p12" -storetype PKCS12 -storepass "$capass"
    pki_keytool -importkeystore -srckeystore "$dir/ca.p12" -srcstorepass "$capass" -srcalias "n$i" \
      -destkeystore "$out.tmp" -deststoretype PKCS12 -deststorepass "$pass" -destalias node
    pki_keytool -delete -alias "n$i" -keystore "$dir/ca.p12" -storepass "$capass"
    pki_keytool -importcert -noprompt -alias ca -file "$dir/ca.pem" -keystore "$out.tmp" -storetype PKCS12 -storepass "$pass"
    mv "$out.tmp" "$out"
  fi
  echo "$out"
}
