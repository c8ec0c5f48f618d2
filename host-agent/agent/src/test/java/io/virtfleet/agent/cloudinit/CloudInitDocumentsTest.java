package io.virtfleet.agent.cloudinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import io.virtfleet.agent.contract.CloudInitSeed;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloudInitDocumentsTest {
    private static final String HASH = "$6$rounds=4096$salt$abcdefghijklmnopqrstuv";
    private static final CloudInitSeed.Network PUBLIC = new CloudInitSeed.Network(null, List.of("10.0.0.5/24"),
            "10.0.0.1", List.of("10.0.0.53", "9.9.9.9"), false);
    private static final CloudInitSeed.Network STORAGE = new CloudInitSeed.Network("BE:EF:AA:BB:CC:DD",
            List.of("192.168.10.5/24"), "192.168.10.1", List.of(), false);

    @Test
    void userDataSetsHostnameRootKeysAndPasswordHash() {
        CloudInitSeed seed = new CloudInitSeed("i-1", "web01", "web01.example.com",
                List.of("ssh-ed25519 AAAAC3Nza user@laptop"), HASH, null, List.of());

        assertThat(CloudInitDocuments.userData(seed)).isEqualTo("""
                #cloud-config
                hostname: web01
                fqdn: web01.example.com
                prefer_fqdn_over_hostname: false
                manage_etc_hosts: localhost
                users:
                  - default
                  - name: root
                    ssh_authorized_keys:
                      - ssh-ed25519 AAAAC3Nza user@laptop
                    lock_passwd: false
                disable_root: false
                chpasswd:
                  expire: false
                  users:
                    - name: root
                      password: $6$rounds=4096$salt$abcdefghijklmnopqrstuv
                      type: hash
                ssh_pwauth: true
                """);
    }

    @Test
    void withoutAPasswordRootIsLockedAndPasswordLoginOff() {
        String userData = CloudInitDocuments.userData(new CloudInitSeed("i", "h", null, List.of(), null, null, null));

        assertThat(userData).contains("lock_passwd: true", "ssh_pwauth: false")
                .doesNotContain("chpasswd", "fqdn", "manage_etc_hosts");
    }

    @Test
    void extraUserDataIsMergedListsAppendedScalarsReplaced() {
        String extra = """
                users:
                  - name: deploy
                    groups: sudo
                runcmd:
                  - [touch, /etc/extra]
                ssh_pwauth: true
                package_update: true
                """;
        CloudInitSeed seed = new CloudInitSeed("i", "web01", null, List.of(), null, extra, List.of());

        assertThat(CloudInitDocuments.userData(seed)).isEqualTo("""
                #cloud-config
                hostname: web01
                users:
                  - default
                  - name: root
                    lock_passwd: true
                  - name: deploy
                    groups: sudo
                disable_root: false
                ssh_pwauth: true
                runcmd:
                  -   - touch
                      - /etc/extra
                package_update: true
                """);
    }

    @Test
    void extraUserDataThatIsNotAMappingIsRefusedWithoutEchoingIt() {
        CloudInitSeed seed = new CloudInitSeed("i", "h", null, List.of(), null, "- secret-list-item", List.of());

        assertThatThrownBy(() -> CloudInitDocuments.userData(seed))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("mapping")
                .hasMessageNotContaining("secret-list-item");
    }

    @Test
    void metaDataCarriesInstanceIdAndHostname() {
        CloudInitSeed seed = new CloudInitSeed(null, "web01", "web01.example.com", List.of(), null, null, List.of());

        assertThat(CloudInitDocuments.metaData(seed, "web01-token-2")).isEqualTo("""
                instance-id: web01-token-2
                local-hostname: web01
                """);
    }

    @Test
    void networkConfigMatchesByMacWithDefaultRouteOnTheFirstNic() {
        assertThat(CloudInitDocuments.networkConfig(List.of(PUBLIC, STORAGE))).isEqualTo("""
                version: 2
                ethernets:
                  nic0:
                    match:
                      macaddress: be:ef:0a:00:00:05
                    set-name: eth0
                    addresses:
                      - 10.0.0.5/24
                    gateway4: 10.0.0.1
                    nameservers:
                      addresses:
                        - 10.0.0.53
                        - 9.9.9.9
                  nic1:
                    match:
                      macaddress: be:ef:aa:bb:cc:dd
                    set-name: eth1
                    addresses:
                      - 192.168.10.5/24
                """);
    }

    @Test
    void anExplicitDefaultRouteWinsOverTheFirstNic() {
        CloudInitSeed.Network storageDefault = new CloudInitSeed.Network(STORAGE.mac(), STORAGE.addresses(),
                STORAGE.gateway(), List.of(), true);

        String config = CloudInitDocuments.networkConfig(List.of(PUBLIC, storageDefault));

        assertThat(config).containsOnlyOnce("gateway4:").contains("gateway4: 192.168.10.1")
                .doesNotContain("10.0.0.1");
    }

    @Test
    void quotesStringsThatYamlWouldReadAsOtherTypes() {
        CloudInitSeed seed = new CloudInitSeed(null, "2", null, List.of(), null, null, List.of());

        assertThat(CloudInitDocuments.metaData(seed, "yes")).isEqualTo("""
                instance-id: "yes"
                local-hostname: "2"
                """);
    }
}
