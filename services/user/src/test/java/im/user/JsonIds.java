package im.user;

import org.hamcrest.BaseMatcher;
import org.hamcrest.Description;
import org.hamcrest.Matcher;

/** Matches a JSON number against a long id, whether the parser made it an Integer or a Long. */
public final class JsonIds {

    private JsonIds() {
    }

    public static Matcher<Object> id(long expected) {
        return new BaseMatcher<>() {
            @Override
            public boolean matches(Object actual) {
                return actual instanceof Number n && n.longValue() == expected;
            }

            @Override
            public void describeTo(Description description) {
                description.appendValue(expected);
            }
        };
    }
}
