package im.client.cli;

import im.client.sdk.ImClient;
import im.client.sdk.UserView;
import im.protocol.client.Presence;
import im.protocol.client.PresenceList;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "presence", description = "Whether friends are online, and when they were last seen (friends who "
        + "hide it show as unknown).")
final class PresenceCommand implements Callable<Integer> {

    private static final DateTimeFormatter LAST_SEEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    @ParentCommand
    ImCli cli;

    @Parameters(index = "0..*", arity = "1..100", paramLabel = "USERNAME")
    List<String> usernames;

    @Override
    public Integer call() {
        Session session = Session.require(cli);
        Map<Long, String> named = new LinkedHashMap<>();
        for (String username : usernames) {
            UserView user = session.user(username);
            named.put(user.userId(), user.username());
        }
        try (ImClient client = session.connect(new ImClient.Listener() { })) {
            PresenceList list = Session.await(client.presence(named.keySet().stream().mapToLong(Long::longValue).toArray()));
            Map<Long, Presence> known = new LinkedHashMap<>();
            list.getPresencesList().forEach(p -> known.put(p.getUserId(), p));
            named.forEach((id, name) -> cli.context().out().println(name + ": " + describe(known.get(id))));
            return 0;
        }
    }

    private static String describe(Presence presence) {
        if (presence == null) {
            return "unknown (not your friend, or hides it)";
        }
        if (presence.getOnline()) {
            return "online";
        }
        return presence.getLastSeenMs() == 0 ? "offline" : "last seen "
                + LAST_SEEN.format(Instant.ofEpochMilli(presence.getLastSeenMs()).atZone(ZoneId.systemDefault()));
    }
}
