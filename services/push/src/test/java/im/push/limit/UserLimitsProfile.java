package im.push.limit;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Per-user limits small enough to reach in a test, in a window no test outlasts. */
public class UserLimitsProfile implements QuarkusTestProfile {

    public static final int SENDS = 5;
    public static final int DEVICES = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "im.push.user-limits.sends-per-window", Integer.toString(SENDS),
                "im.push.user-limits.send-window", "1m",
                "im.push.user-limits.devices", Integer.toString(DEVICES));
    }
}
