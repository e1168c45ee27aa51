package im.checker.scenario;

import java.util.ArrayList;
import java.util.List;

/** A person in the scenario: an account, its devices, the users it talks to and its groups. */
final class SimUser {
    final int index;
    final String username;
    final long userId;
    final List<SimDevice> devices = new ArrayList<>();
    final List<SimUser> partners = new ArrayList<>();
    final List<SimConversation> groups = new ArrayList<>();
    volatile String accessToken;

    SimUser(int index, String username, long userId, String accessToken) {
        this.index = index;
        this.username = username;
        this.userId = userId;
        this.accessToken = accessToken;
    }
}
