package im.system;

import im.client.sdk.ImClient;
import im.client.sdk.ServerTrust;
import im.protocol.client.Message;
import im.protocol.client.Presence;
import im.protocol.client.Typing;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/** A connected device and everything it was shown. */
final class Devices {

    private Devices() {
    }

    static final class Device implements AutoCloseable {
        final ImClient client;
        final ConcurrentLinkedQueue<Message> shown = new ConcurrentLinkedQueue<>();
        /** The typing signals of other members it was told, in arrival order. */
        final ConcurrentLinkedQueue<Typing> typings = new ConcurrentLinkedQueue<>();
        /** The friends' presence changes it was told, in arrival order. */
        final ConcurrentLinkedQueue<Presence> presences = new ConcurrentLinkedQueue<>();

        private Device(List<URI> endpoints, String accessToken, String deviceId) {
            this(endpoints, accessToken, deviceId, ServerTrust.systemDefault());
        }

        private Device(List<URI> endpoints, String accessToken, String deviceId, ServerTrust trust) {
            this.client = ImClient.builder()
                    .endpoints(endpoints)
                    .trust(trust)
                    .accessToken(accessToken)
                    .deviceId(deviceId)
                    .requestTimeout(Duration.ofSeconds(20))
                    .listener(new ImClient.Listener() {
                        @Override
                        public void onMessage(Message message) {
                            shown.add(message);
                        }

                        @Override
                        public void onTyping(Typing typing) {
                            typings.add(typing);
                        }

                        @Override
                        public void onPresence(Presence presence) {
                            presences.add(presence);
                        }
                    })
                    .build();
        }

        /** What this device showed, in the order a conversation view shows it (by seq). */
        List<Message> shownInConversationOrder() {
            List<Message> view = new ArrayList<>(shown);
            view.sort(Comparator.comparingLong(Message::getSeq));
            return view;
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** A device that connects through the push nodes in turn once its client is told to connect. */
    static Device unconnected(List<URI> endpoints, String accessToken, String deviceId) {
        return new Device(endpoints, accessToken, deviceId);
    }

    /** Over tls:// or wss://, believing the server as {@code trust} says. */
    static Device connect(URI endpoint, String accessToken, String deviceId, ServerTrust trust) throws Exception {
        Device device = new Device(List.of(endpoint), accessToken, deviceId, trust);
        device.client.connect().get(30, TimeUnit.SECONDS);
        return device;
    }

    static Device connect(URI endpoint, String accessToken, String deviceId) throws Exception {
        Device device = new Device(List.of(endpoint), accessToken, deviceId);
        device.client.connect().get(30, TimeUnit.SECONDS);
        return device;
    }
}
