package io.virtfleet.agent.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.virtfleet.agent.AgentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"web01", "team-a.web01-root", "0", "a.b.c-d"})
    void acceptsKubernetesStyleNames(String name) {
        assertThat(ResourceNames.isValid(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Web01", "-web", ".hidden", "a/b", "../etc", "a b", "a<b>", "ünicode"})
    void rejectsNamesUnsafeForLibvirtOrPaths(String name) {
        assertThat(ResourceNames.isValid(name)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"team-a.web_vdb", "a_b", "web_vdb"})
    void rejectsTheSeparatorTheAgentKeepsForDomainOwnedNames(String name) {
        assertThat(ResourceNames.isValid(name)).isFalse();
        assertThatThrownBy(() -> ResourceNames.require("name", name)).isInstanceOf(AgentException.class);
    }

    @Test
    void poolsMayContainUnderscoresAndOwnerUidsAreUids() {
        assertThat(ResourceNames.requirePool("vg_data")).isEqualTo("vg_data");
        assertThatThrownBy(() -> ResourceNames.requirePool("../etc")).isInstanceOf(AgentException.class);
        assertThat(ResourceNames.requireOwnerUid("0f8c2b9e-4f0e-4c4e-9a59-7b0f5b7f1c2a"))
                .isEqualTo("0f8c2b9e-4f0e-4c4e-9a59-7b0f5b7f1c2a");
        assertThat(ResourceNames.requireOwnerUid(null)).isNull();
        assertThatThrownBy(() -> ResourceNames.requireOwnerUid("a/b")).isInstanceOf(AgentException.class);
    }

    @Test
    void limitsTheLength() {
        assertThat(ResourceNames.isValid("a".repeat(201))).isTrue();
        assertThat(ResourceNames.isValid("a".repeat(202))).isFalse();
        assertThat(ResourceNames.isValid(null)).isFalse();
    }

    @Test
    void requireNamesTheFieldInItsMessage() {
        assertThatThrownBy(() -> ResourceNames.require("rootVolume", "Bad"))
                .isInstanceOfSatisfying(AgentException.class,
                        e -> assertThat(e.kind()).isEqualTo(AgentException.Kind.INVALID_REQUEST))
                .hasMessageContaining("rootVolume 'Bad'");
    }
}
