package im.push.session;

import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** The answer of one unary call on an async stub, as a future: no thread waits for it. */
final class UnaryCall<T> extends CompletableFuture<T> implements StreamObserver<T> {

    @Override
    public void onNext(T value) {
        complete(value);
    }

    @Override
    public void onError(Throwable failure) {
        completeExceptionally(failure);
    }

    @Override
    public void onCompleted() {
        // onNext completed it; a unary call without a value is a server bug surfaced to the caller
        completeExceptionally(new IllegalStateException("call completed without a response"));
    }
}
