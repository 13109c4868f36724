package dev.triggerlayer.publisher.event.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triggerlayer.publisher.event.model.WorkspaceEventRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** A workspace-deleted record that cannot become a valid project-deleted event is refused, naming the member. */
class ProjectDeletedMappingTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SAMPLE = """
            {"changeId":"0d9c3a52-0a8e-4f8e-9a36-3f1c5c1e2b7a","type":"workspace-deleted","tenantId":1002,
             "workspaceId":2002,"workspaceName":"tenant_b_demo","publishEvents":true,"eventBusName":"audit",
             "operator":"207947397706614299","deletedAt":1763769601000}
            """;

    final ProjectDeletedMapper mapper = new ProjectDeletedMapper(JSON);

    @ParameterizedTest
    @ValueSource(strings = {"type:workspace-created", "type:null", "tenantId:null", "workspaceId:-1", "workspaceName:",
            "operator:null", "deletedAt:null", "deletedAt:-5"})
    void recordsThatCannotBecomeValidEventsAreRejected(String change) throws Exception {
        ObjectNode record = (ObjectNode) JSON.readTree(SAMPLE);
        String[] kv = change.split(":", 2);
        if (kv[1].equals("null")) {
            record.putNull(kv[0]);
        } else if (kv[1].matches("-?[0-9]+")) {
            record.put(kv[0], Long.parseLong(kv[1]));
        } else {
            record.put(kv[0], kv[1]);
        }
        WorkspaceEventRecord parsed = JSON.readValue(record.toString(), WorkspaceEventRecord.class);
        assertThrows(IllegalArgumentException.class, () -> mapper.validate(parsed));
    }
}
