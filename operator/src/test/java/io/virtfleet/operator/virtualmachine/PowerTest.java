package io.virtfleet.operator.virtualmachine;

import io.virtfleet.agent.contract.DomainPhase;
import io.virtfleet.crds.v1alpha1.RunStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which power state each runStrategy asks for, and when an observed domain is already there. */
class PowerTest {
    @ParameterizedTest(name = "{0} with the domain {1} -> {2}")
    @CsvSource(textBlock = """
            Always, Stopped, RUNNING
            Always, Paused,  RUNNING
            Paused, Stopped, PAUSED
            Paused, Running, PAUSED
            Halted, Paused,  STOPPED
            Halted, Running, STOPPED
            Manual, Running, RUNNING
            Manual, Paused,  PAUSED
            Manual, Stopped, STOPPED
            Manual, Crashed, STOPPED
            """)
    void eachStrategyAsksForItsState(RunStrategy strategy, DomainPhase current, Power expected) {
        assertThat(Power.desired(strategy, Optional.of(current))).isEqualTo(expected);
    }

    @Test
    void aManualVmWithoutADomainStaysStopped() {
        assertThat(Power.desired(RunStrategy.Manual, Optional.empty())).isEqualTo(Power.STOPPED);
    }

    @Test
    void pausedIsActiveSoThatTheAgentStartsAStoppedDomainBeforeItIsPaused() {
        assertThat(Power.PAUSED.active()).isTrue();
        assertThat(Power.RUNNING.active()).isTrue();
        assertThat(Power.STOPPED.active()).isFalse();
    }

    @Test
    void matchesTellsWhetherTheDomainIsThereAlready() {
        assertThat(Power.PAUSED.matches(DomainPhase.Paused)).isTrue();
        assertThat(Power.PAUSED.matches(DomainPhase.Running)).isFalse();
        assertThat(Power.RUNNING.matches(DomainPhase.Paused)).isFalse();
        assertThat(Power.STOPPED.matches(DomainPhase.Paused)).as("a paused domain is not stopped").isFalse();
        assertThat(Power.STOPPED.matches(DomainPhase.Crashed)).isTrue();
    }
}
