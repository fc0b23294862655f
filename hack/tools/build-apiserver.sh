#!/usr/bin/env bash
# build-apiserver.sh BIN_DIR
#
# Puts the binaries that controller-runtime's envtest runs into BIN_DIR, so that
# KUBEBUILDER_ASSETS=BIN_DIR works (envtest's downloader cannot reach its bucket
# here):
#   kube-apiserver  built from k8s.io/kubernetes, pinned in hack/tools/go.mod
#   etcd            Debian's etcd-server (installed with apt-get if missing), else
#                   built from go.etcd.io/etcd/server/v3, pinned in the same go.mod
#   kubectl         a link to the kubectl on PATH, if there is one (optional)
#
# Each step is skipped when BIN_DIR already holds a binary of the wanted version,
# so a second run costs a second. Set ETCD_SOURCE=go to skip Debian's etcd.
set -euo pipefail

if [[ $# -ne 1 ]]; then
	echo "usage: $0 BIN_DIR" >&2
	exit 2
fi

tools_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$1"
bin_dir=$(cd "$1" && pwd)

# The tools module alone decides versions (a go.work elsewhere must not), and
# the same flags give the same bytes on every machine (static, no VCS stamp).
export GOWORK=off GOFLAGS="-mod=readonly -buildvcs=false" CGO_ENABLED=0

mod_version() { go -C "$tools_dir" list -m -f '{{.Version}}' "$1"; }

log() { echo "build-apiserver: $*" >&2; }

# build PKG OUT LDFLAGS: build into a temporary file first, so that an
# interrupted build never leaves a half-written binary that a later run trusts.
build() {
	local pkg=$1 out=$2 ldflags=$3 start=$SECONDS
	log "building $pkg into $out (minutes with a cold build cache)"
	go -C "$tools_dir" build -trimpath -ldflags "$ldflags" -o "$out.tmp" "$pkg"
	mv -f "$out.tmp" "$out"
	log "built $out in $((SECONDS - start))s"
}

# --- kube-apiserver ---------------------------------------------------------
k8s_version=$(mod_version k8s.io/kubernetes) # v1.34.2
apiserver=$bin_dir/kube-apiserver
if [[ -x $apiserver ]] && [[ $("$apiserver" --version 2>/dev/null) == "Kubernetes $k8s_version" ]]; then
	log "kube-apiserver $k8s_version already in $bin_dir"
else
	major=${k8s_version#v}
	minor=${major#*.}
	major=${major%%.*}
	minor=${minor%%.*}
	ldflags="-s -w"
	# Both packages carry the version the binary reports (--version, /version).
	for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
		ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
	done
	build k8s.io/kubernetes/cmd/kube-apiserver "$apiserver" "$ldflags"
	got=$("$apiserver" --version)
	if [[ $got != "Kubernetes $k8s_version" ]]; then
		log "built kube-apiserver reports '$got', want 'Kubernetes $k8s_version'"
		exit 1
	fi
fi

# --- etcd -------------------------------------------------------------------
etcd=$bin_dir/etcd
etcd_version() { "$1" --version 2>/dev/null | awk '/^etcd Version:/ {print "v" $3}'; }

# apt_etcd prints the path of Debian's etcd, installing etcd-server if it has a
# candidate and we may install; it fails if there is none.
apt_etcd() {
	if [[ ! -x /usr/bin/etcd ]]; then
		command -v apt-cache >/dev/null || return 1
		[[ $(id -u) == 0 ]] || return 1
		local candidate
		candidate=$(apt-cache policy etcd-server 2>/dev/null | awk '/Candidate:/ {print $2}')
		if [[ -z $candidate || $candidate == "(none)" ]]; then
			log "apt has no etcd-server candidate (run apt-get update first?)"
			return 1
		fi
		log "installing etcd-server $candidate with apt-get"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q etcd-server >&2 || return 1
	fi
	[[ -n $(etcd_version /usr/bin/etcd) ]] || return 1
	echo /usr/bin/etcd
}

etcd_go_version=$(mod_version go.etcd.io/etcd/server/v3) # v3.6.4
if [[ -L $etcd && ${ETCD_SOURCE:-} != go && -n $(etcd_version "$etcd") ]]; then
	log "etcd already in $bin_dir (-> $(readlink "$etcd"))"
elif [[ -f $etcd && ! -L $etcd && $(etcd_version "$etcd") == "$etcd_go_version" ]]; then
	log "etcd $etcd_go_version already in $bin_dir (built from go.etcd.io/etcd/server/v3)"
elif [[ ${ETCD_SOURCE:-} != go ]] && src=$(apt_etcd); then
	ln -sfn "$src" "$etcd"
	log "linked $etcd -> $src"
else
	rm -f "$etcd"
	build go.etcd.io/etcd/server/v3 "$etcd" "-s -w"
fi
log "$("$etcd" --version | head -1)"

# --- kubectl (optional for envtest) -------------------------------------------
if [[ ! -e $bin_dir/kubectl ]] && kubectl=$(command -v kubectl); then
	ln -sfn "$kubectl" "$bin_dir/kubectl"
fi
