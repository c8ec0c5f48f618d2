package io.virtfleet.operator.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.crds.v1alpha1.Console;
import org.junit.jupiter.api.Test;

/** status.console names commands and API paths, never a host; the front proxy must be exactly one name. */
class ConsoleAccessTest {
    @Test
    void statusSaysHowToConnectThroughTheApiNotWhereTheHostIs() {
        Console console = ConsoleAccess.describe("team-a.web01", true);

        assertThat(console.getSerial()).isEqualTo("kubectl virtfleet console web01 -n team-a (WebSocket "
                + "/apis/subresources.virtfleet.io/v1alpha1/namespaces/team-a/virtualmachines/web01/console)");
        assertThat(console.getVnc()).isEqualTo("kubectl virtfleet vnc web01 -n team-a (WebSocket "
                + "/apis/subresources.virtfleet.io/v1alpha1/namespaces/team-a/virtualmachines/web01/vnc)");
        assertThat(ConsoleAccess.describe("team-a.web01.example", false).getVnc()).isNull();
        assertThat(ConsoleAccess.describe("team-a.web01.example", false).getSerial())
                .startsWith("kubectl virtfleet console web01.example -n team-a ");
    }

    @Test
    void theFrontProxyMustBeExactlyOneName() throws Exception {
        assertThat(FrontProxyTrust.proxyName("[\"front-proxy-client\"]")).isEqualTo("front-proxy-client");
        assertThatThrownBy(() -> FrontProxyTrust.proxyName("[]")).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> FrontProxyTrust.proxyName(null)).hasMessageContaining("exactly one");
        assertThatThrownBy(() -> FrontProxyTrust.proxyName("[\"a\",\"b\"]")).hasMessageContaining("exactly one");
    }

    @Test
    void unknownSubresourcesAreNotFound() {
        assertThat(ConsoleKind.of("vnc")).isEqualTo(ConsoleKind.VNC);
        assertThatThrownBy(() -> ConsoleKind.of("exec")).isInstanceOfSatisfying(GatewayException.class,
                e -> assertThat(e.status()).isEqualTo(404));
    }
}
