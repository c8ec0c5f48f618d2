package io.virtfleet.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The agent's one JSON configuration, for the HTTP API and the state files alike. */
public final class AgentJson {
    /**
     * Unknown fields are ignored so that an older agent accepts requests from a newer operator (and reads state
     * files written by a newer agent) instead of failing on a field it does not know.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private AgentJson() {
    }
}
