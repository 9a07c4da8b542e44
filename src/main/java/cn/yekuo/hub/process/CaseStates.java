package cn.yekuo.hub.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.springframework.stereotype.Component;

import cn.yekuo.hub.domain.workflow.CaseState;

/** The workflow snapshot as JSON in the case row: records in, records out, times kept with their offset. */
@Component
public class CaseStates {

    private final ObjectMapper json = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String write(CaseState state) {
        try {
            return json.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the state of " + state.caseNo(), e);
        }
    }

    /** Null for a case the workflow never managed (not eligible). */
    public CaseState read(String stateJson) {
        if (stateJson == null) {
            return null;
        }
        try {
            return json.readValue(stateJson, CaseState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable case state", e);
        }
    }
}
