# Shared by dev/local, dev/test and dev/bench: pick a JDK, install and start what the project needs.
# Sourced, not run.

say() { printf '[virtfleet] %s\n' "$*" >&2; }

# A JDK >= 21: JAVA_HOME when it qualifies, else the newest under /usr/lib/jvm.
select_jdk() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r); do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java.specification.version = //p')
    if [ -n "$version" ] && [ "${version%%.*}" -ge 21 ]; then
      export JAVA_HOME="${candidate%/}"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  say "no JDK 21 or newer found (JAVA_HOME or /usr/lib/jvm); install one, e.g. apt-get install openjdk-21-jdk-headless"
  return 1
}

# ovmf: UEFI firmware (its descriptors in /usr/share/qemu/firmware); lvm2: the logical-pool test; iproute2: test bridges;
# mmdebstrap fdisk dosfstools mtools e2fsprogs: the real-boot tests' Debian cloud image (TestCloudImages; its boot
# loaders come from the image's own GRUB packages, so the host needs no GRUB); dnsmasq-base iptables ebtables
# libvirt-daemon-config-nwfilter: libvirt networks (DHCP) and NIC filters (clean-traffic and the others).
APT_PACKAGES="libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients qemu-system-x86 qemu-utils ovmf lvm2 iproute2 mmdebstrap fdisk dosfstools mtools e2fsprogs dnsmasq-base iptables ebtables libvirt-daemon-config-nwfilter"

# Installs the libvirt/QEMU packages when missing (as root on Debian/Ubuntu), else says what to install.
install_host_packages() {
  local missing=()
  command -v qemu-img >/dev/null || missing+=(qemu-utils)
  command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
  command -v libvirtd >/dev/null || missing+=(libvirt-daemon libvirt-daemon-driver-qemu)
  command -v virsh >/dev/null || missing+=(libvirt-clients)
  [ -d /usr/share/qemu/firmware ] || missing+=(ovmf)
  command -v lvcreate >/dev/null || [ -x /sbin/lvcreate ] || missing+=(lvm2)
  command -v ip >/dev/null || [ -x /sbin/ip ] || missing+=(iproute2)
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  command -v sfdisk >/dev/null || [ -x /sbin/sfdisk ] || missing+=(fdisk)
  command -v mkfs.vfat >/dev/null || [ -x /sbin/mkfs.vfat ] || missing+=(dosfstools)
  command -v mcopy >/dev/null || missing+=(mtools)
  command -v mkfs.ext4 >/dev/null || [ -x /sbin/mkfs.ext4 ] || missing+=(e2fsprogs)
  command -v dnsmasq >/dev/null || [ -x /usr/sbin/dnsmasq ] || missing+=(dnsmasq-base)
  command -v iptables >/dev/null || [ -x /usr/sbin/iptables ] || missing+=(iptables)
  command -v ebtables >/dev/null || [ -x /usr/sbin/ebtables ] || missing+=(ebtables)
  [ -f /etc/libvirt/nwfilter/clean-traffic.xml ] || missing+=(libvirt-daemon-config-nwfilter)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # Not libvirt-daemon-system: it pulls systemd and iptables, which these hosts neither have nor need.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $APT_PACKAGES >/dev/null
  else
    say "missing: ${missing[*]}. As root on Debian/Ubuntu run: apt-get install --no-install-recommends $APT_PACKAGES"
    return 1
  fi
}

libvirtd_answers() {
  timeout 30 virsh -c qemu:///system version >/dev/null 2>&1
}

# Starts libvirtd without systemd when it is not answering (as root), else says how.
start_libvirtd() {
  libvirtd_answers && return 0
  if [ "$(id -u)" -ne 0 ]; then
    say "libvirtd is not answering on qemu:///system; start it (as root: dev/prerequisites) or run this as root"
    return 1
  fi
  getent group kvm >/dev/null || groupadd -r kvm
  getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
  id libvirt-qemu >/dev/null 2>&1 \
    || useradd -r -g libvirt-qemu -G kvm -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
  mkdir -p /var/log/libvirt /etc/libvirt
  if [ ! -s /etc/libvirt/qemu.conf ]; then
    # QEMU runs as root so it can open volumes and seeds anywhere (pools may live in a work tree); file serial
    # logs are written directly instead of through virtlogd, which is not running without systemd.
    printf 'user = "root"\ngroup = "root"\nstdio_handler = "file"\n' > /etc/libvirt/qemu.conf
  fi
  say "starting libvirtd"
  libvirtd -d
  local i
  for i in $(seq 1 60); do
    libvirtd_answers && return 0
    sleep 1
  done
  say "libvirtd did not answer within 60 s; see /var/log/libvirt"
  return 1
}

# A libvirtd that was running before libvirt-daemon-config-nwfilter was installed does not list its filters until
# they are defined (or it restarts, which would stop other users' guests): define the missing ones.
define_standard_nwfilters() {
  local file filters
  # read first, then match: grep -q ending the pipe early would fail it under pipefail
  filters=$(virsh -c qemu:///system nwfilter-list 2>/dev/null || true)
  grep -qw clean-traffic <<<"$filters" && return 0
  say "defining libvirt's standard network filters"
  for file in /etc/libvirt/nwfilter/*.xml; do
    virsh -c qemu:///system nwfilter-define "$file" >/dev/null || { say "cannot define $file"; return 1; }
  done
}

ensure_prerequisites() {
  select_jdk && install_host_packages && start_libvirtd && define_standard_nwfilters
}
