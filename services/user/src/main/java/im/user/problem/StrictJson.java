package im.user.problem;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * Request bodies with a key given twice are malformed JSON (400). Without this, Jackson binds a
 * record's creator property once and then fails on the repeat with a definition error, which
 * Quarkus answers 500 and logs as a server bug: any client could make the user service report 500s
 * at will (found by GroupsBodyFuzzTest in push). Auth reads JSON the same way.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
    }
}
