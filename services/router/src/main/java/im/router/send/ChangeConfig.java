package im.router.send;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long after sending a message its sender may still recall or edit it. */
@ConfigMapping(prefix = "im.router.changes")
public interface ChangeConfig {

    /** A sender recalls its message within this; a group's owner and admins at any time. */
    @WithDefault("2m")
    Duration recallWindow();

    /** A sender edits its message within this. */
    @WithDefault("48h")
    Duration editWindow();
}
