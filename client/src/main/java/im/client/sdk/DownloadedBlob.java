package im.client.sdk;

import java.nio.file.Path;

/** A blob written to a file by {@link ImRestClient#download}: where, its type as uploaded, its size. */
public record DownloadedBlob(Path file, String mimeType, long size) {
}
