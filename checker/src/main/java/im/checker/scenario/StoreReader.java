package im.checker.scenario;

import im.client.sdk.ImClient;
import im.protocol.client.Message;
import im.protocol.client.SyncPage;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Reads every conversation as stored, page by page, straight from a push node (no proxy), as a
 * fresh device named {@code audit} of one member.
 */
final class StoreReader {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(30);

    private final URI endpoint;
    private final Function<SimUser, String> freshToken;
    private final int maxPages;

    /**
     * @param endpoint a push node's TCP endpoint, no proxy in front
     * @param freshToken logs a user in again (its token may have expired during the run)
     * @param maxPages pages per conversation at most (a bound, not an expectation)
     */
    StoreReader(URI endpoint, Function<SimUser, String> freshToken, int maxPages) {
        this.endpoint = endpoint;
        this.freshToken = freshToken;
        this.maxPages = maxPages;
    }

    /** Conversation id to its stored messages by seq, for each of {@code conversations}, read as its first member. */
    Map<String, TreeMap<Long, Message>> readAll(Collection<SimConversation> conversations) throws Exception {
        Map<String, TreeMap<Long, Message>> stored = new LinkedHashMap<>();
        for (SimConversation c : conversations) {
            stored.put(c.id(), read(c.id(), c.members().get(0)));
        }
        return stored;
    }

    private TreeMap<Long, Message> read(String conversation, SimUser member) throws Exception {
        ImClient auditor = ImClient.builder()
                .endpoint(endpoint)
                .accessToken(freshToken.apply(member))
                .deviceId("audit")
                .autoReconnect(false)
                .requestTimeout(PAGE_TIMEOUT)
                .build();
        try {
            auditor.connect().get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            TreeMap<Long, Message> bySeq = new TreeMap<>();
            long after = 0;
            for (int page = 0; page < maxPages; page++) {
                SyncPage p = auditor.sync(conversation, after, ImClient.MAX_SYNC_PAGE)
                        .get(PAGE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                p.getMessagesList().forEach(m -> bySeq.put(m.getSeq(), m));
                if (!p.getHasMore() || p.getMessagesCount() == 0) {
                    break;
                }
                after = p.getMessages(p.getMessagesCount() - 1).getSeq();
            }
            return bySeq;
        } finally {
            auditor.close();
        }
    }
}
