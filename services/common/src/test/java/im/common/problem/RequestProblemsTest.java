package im.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestProblemsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record FriendRequestBody(long toUserId, String toUsername) {
    }

    record MembersBody(List<Long> userIds) {
    }

    @Test
    void truncatedBody_isNotValidJson_withLineAndColumn() {
        String detail = describe("{\"username\":\"a\",", FriendRequestBody.class);

        assertTrue(detail.startsWith("the request body is not valid JSON: Unexpected end-of-input"), detail);
        assertTrue(detail.endsWith("at line 1, column 17"), detail);
    }

    @Test
    void stringWhereANumberGoes_namesTheFieldAndTheValue() {
        String detail = describe("{\"toUserId\":\"abc\"}", FriendRequestBody.class);

        assertEquals("the request body does not fit this call at 'toUserId': Cannot deserialize value of type `long`"
                + " from String \"abc\": not a valid `long` value at line 1, column 13", detail);
    }

    @Test
    void badListElement_namesItsIndex() {
        String detail = describe("{\"userIds\":[1,{}]}", MembersBody.class);

        assertTrue(detail.startsWith("the request body does not fit this call at 'userIds[1]': "), detail);
    }

    @Test
    void javaTypeNames_areShortenedToSimpleNames() {
        String detail = describe("[1]", FriendRequestBody.class);

        assertTrue(detail.contains("`FriendRequestBody`"), detail);
        assertFalse(detail.contains("im.common"), detail);
    }

    @Test
    void numberOutOfRange_doesNotFit() {
        String detail = describe("{\"toUserId\":18446744073709551616}", FriendRequestBody.class);

        assertTrue(detail.startsWith("the request body does not fit this call at 'toUserId': "), detail);
        assertTrue(detail.contains("out of range of long"), detail);
    }

    @Test
    void overlongNumber_isOverALimit_withoutJacksonSettingNames() {
        String detail = describe("{\"toUserId\":" + "1".repeat(3000) + "}", FriendRequestBody.class);

        assertTrue(detail.startsWith("the request body is over a JSON limit"), detail);
        assertTrue(detail.contains("exceeds the maximum allowed (1000)"), detail);
        assertFalse(detail.contains("StreamReadConstraints"), detail);
    }

    @Test
    void brokenStringInsideAField_isNotValidJson_atThatField() {
        String detail = describe("{\"toUsername\":\"a\nb\"}", FriendRequestBody.class);

        assertTrue(detail.startsWith("the request body is not valid JSON at 'toUsername': Illegal unquoted character"),
                detail);
    }

    @Test
    void longGarbage_isCutNotEchoed() {
        String detail = describe("x".repeat(50_000), FriendRequestBody.class);

        assertTrue(detail.length() <= RequestProblems.DETAIL_LIMIT, detail);
        assertTrue(detail.contains("...") && detail.endsWith("at line 1, column 1"), detail);
    }

    @Test
    void malformedBody_isA400ProblemWithItsCode() {
        Problem problem = RequestProblems.malformedBody(parseFailure("{", FriendRequestBody.class));

        assertEquals(400, problem.status());
        assertEquals("MALFORMED_BODY", problem.code());
        assertEquals("about:blank", problem.type());
    }

    @Test
    void cap_neverSplitsASurrogatePair() {
        String text = "a".repeat(6) + "\uD83D\uDE00" + "b".repeat(10);

        assertEquals("aaaaaa...", RequestProblems.cap(text, 10));
        assertEquals("short", RequestProblems.cap("short", 10));
    }

    private static String describe(String body, Class<?> type) {
        return RequestProblems.describe(parseFailure(body, type));
    }

    private static JsonProcessingException parseFailure(String body, Class<?> type) {
        return assertThrows(JsonProcessingException.class, () -> JSON.readValue(body.getBytes(), type));
    }
}
