# shellcheck shell=bash
# The local cluster's certificates (sourced by ./cluster; docs/security.md "Between nodes"). Made once per
# cluster with the JDK's keytool, in $STATE/pki (mode 700):
#   ca.p12          the cluster CA's key (EC P-256, 10 years); its password in ca.password, never given to nodes
#   ca.pem          the CA's certificate: what clients trust (curl --cacert) and every node keystore holds
#   trust.p12       the CA as trusted entry alone: what every node keystore starts as
#   nI.p12          node I's keystore (PKCS12): its key and a certificate for CN=nI (2 years, SAN localhost,
#                   127.0.0.1 and its --netns address) from the CA, and the CA as trusted entry. Used for
#                   node-to-node sealing and Liberty's HTTPS alike; its password in keystore.password
# Every keytool run is a JVM start: a start makes all its nodes' keystores at once, before it
# launches any node (pki_nodes), rather than one before each launch while the nodes launched before boot.
# A node started by `add --foreign-ca` gets its certificate from a second CA (foreign/), one no node trusts:
# what the refusal tests start.

PKI_CA_NAME="RaftStore local cluster CA"
pki_dir() { echo "$STATE/pki"; }

# A JVM that only runs for a moment: C1 alone and the serial collector halve each run's CPU (0.8 s to 0.35 s).
pki_keytool() {
  keytool -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC "$@" >>"$(pki_dir)/keytool.log" 2>&1 \
    || die "keytool $1 failed; see $(pki_dir)/keytool.log"
}

pki_secret() { # the password in file $1, generated on first use
  [[ -f $1 ]] || (umask 077; head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$1")
  cat "$1"
}

# pki_ca DIR NAME: the CA in DIR and its trust.p12, each made when missing.
pki_ca() {
  local dir=$1 name=$2
  if [[ ! -f $dir/ca.pem ]]; then
    command -v keytool >/dev/null || die "keytool (from the JDK) is needed to make the cluster's certificates"
    (umask 077; mkdir -p "$dir")
    local capass; capass="$(pki_secret "$dir/ca.password")"
    pki_keytool -genkeypair -alias ca -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA -validity 3650 \
      -dname "CN=$name $(date -u +%Y%m%dT%H%M%SZ)" -ext bc:c -ext KU=keyCertSign,cRLSign \
      -keystore "$dir/ca.p12" -storetype PKCS12 -storepass "$capass"
    pki_keytool -exportcert -rfc -alias ca -file "$dir/ca.pem" -keystore "$dir/ca.p12" -storepass "$capass"
  fi
  if [[ ! -f $dir/trust.p12 ]]; then
    local pass; pass="$(pki_secret "$(pki_dir)/keystore.password")"
    pki_keytool -importcert -noprompt -alias ca -file "$dir/ca.pem" -keystore "$dir/trust.p12.tmp" \
      -storetype PKCS12 -storepass "$pass"
    mv "$dir/trust.p12.tmp" "$dir/trust.p12"
  fi
}

# pki_node I [foreign]: node I's keystore path, issued when missing (from the foreign CA when asked).
pki_node() {
  local i=$1 dir name=$PKI_CA_NAME; dir="$(pki_dir)"
  if [[ ${2:-} == foreign ]]; then dir="$(pki_dir)/foreign"; name="RaftStore FOREIGN test CA"; fi
  local out="$dir/n$i.p12"
  if [[ ! -f $out ]]; then
    pki_ca "$dir" "$name"
    local capass pass work="$dir/n$i.signing.p12"
    capass="$(cat "$dir/ca.password")"; pass="$(cat "$(pki_dir)/keystore.password")"
    # keytool signs with -signer only inside the signer's keystore: in a copy of the CA's, so that several
    # nodes' keystores can be made at once; the key and certificate then go into a copy of trust.p12.
    cp "$dir/ca.p12" "$work"
    pki_keytool -genkeypair -alias "n$i" -keyalg EC -groupname secp256r1 -sigalg SHA256withECDSA -validity 730 \
      -dname "CN=n$i" -signer ca -ext "SAN=dns:localhost,ip:127.0.0.1,ip:$(net_host "$i")" \
      -ext KU=digitalSignature,keyAgreement -ext EKU=serverAuth,clientAuth \
      -keystore "$work" -storetype PKCS12 -storepass "$capass"
    cp "$dir/trust.p12" "$out.tmp"
    pki_keytool -importkeystore -srckeystore "$work" -srcstorepass "$capass" -srcalias "n$i" \
      -destkeystore "$out.tmp" -deststoretype PKCS12 -deststorepass "$pass" -destalias node
    rm -f "$work"
    mv "$out.tmp" "$out"
  fi
  echo "$out"
}

# pki_nodes I...: the keystores of nodes I... (from the cluster's CA), those missing made side by side.
pki_nodes() {
  pki_ca "$(pki_dir)" "$PKI_CA_NAME"
  local i p pids=()
  for i in "$@"; do pki_node "$i" >/dev/null & pids+=("$!"); done
  for p in "${pids[@]}"; do wait "$p" || die "could not make the nodes' keystores (above)"; done
}
