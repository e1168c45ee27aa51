package im.router.offline;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One signed POST to the operator's receiver, and what its answer means for the batch: taken (2xx),
 * refused for good (any other answer, e.g. 400 or 401: the request itself is
 * wrong, and a retry would be too), or
 * worth another call (5xx, 408, 429, a timeout, no connection).
 */
final class OfflineWebhook {

    static final String TIMESTAMP_HEADER = "X-IM-Timestamp";
    static final String SIGNATURE_HEADER = "X-IM-Signature";

    enum Verdict { TAKEN, REFUSED, RETRY }

    /** A call's verdict and why: the status, or the failure when no answer came. */
    record Outcome(Verdict verdict, String why) {
    }

    private final WebhookTarget target;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient client;

    OfflineWebhook(WebhookTarget target, Duration timeout, Clock clock) {
        this.target = target;
        this.timeout = timeout;
        this.clock = clock;
        // HTTP/1.1: one small POST a second at most, to receivers of every kind (h2c upgrades
        // confuse some); no redirects followed, so a signed request goes nowhere but the url.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Posts the body, signed now, and waits for the answer. Runs on the hook's thread only: one
     * call at a time, so while the receiver is slow or down, what waits is in the bounded queue,
     * not in a pile of open calls.
     */
    Outcome post(byte[] body) throws InterruptedException {
        long now = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(target.url())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header(TIMESTAMP_HEADER, Long.toString(now))
                .header(SIGNATURE_HEADER, target.signer().sign(now, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        var call = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            // The request's own timeout bounds the answer; this bounds a connect that hangs too.
            return verdict(call.get(timeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS).statusCode());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Outcome(Verdict.RETRY, cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        } catch (TimeoutException e) {
            call.cancel(true);
            return new Outcome(Verdict.RETRY, "no answer within " + timeout);
        } catch (InterruptedException e) {
            call.cancel(true);
            throw e;
        }
    }

    static Outcome verdict(int status) {
        String why = "HTTP " + status;
        if (status >= 200 && status < 300) {
            return new Outcome(Verdict.TAKEN, why);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new Outcome(Verdict.RETRY, why);
        }
        return new Outcome(Verdict.REFUSED, why);
    }

    /** For the log: the receiver's host and path, without user info or query (they may hold a token). */
    @Override
    public String toString() {
        URI url = target.url();
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }
}
