package im.router.media;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.jboss.logging.Logger;

/**
 * An uploaded image's size and thumbnail, with the JDK's decoders (PNG, JPEG, GIF; the JDK has
 * none for WebP, so a WebP gets neither).
 *
 * <p>The header is read first: an image claiming more than {@code max-pixels} is refused before a
 * pixel is decoded, so a small file cannot make the router allocate gigabytes. The rest is decoded
 * subsampled, every n-th pixel of every n-th row, at about twice the thumbnail's size, so a decode
 * holds a few megabytes whatever the image's size; the thumbnail is then halved down to fit the box.
 * A thumbnail is JPEG, or PNG when the image has transparency. An image whose header reads but
 * whose pixels do not (a CMYK JPEG, a truncated file) keeps its size and gets no thumbnail.
 */
final class Thumbnailer {

    private static final Logger LOG = Logger.getLogger(Thumbnailer.class);

    /** The types a thumbnail is made for. */
    static final Set<String> READABLE = Set.of("image/png", "image/jpeg", "image/gif");
    private static final float JPEG_QUALITY = 0.8f;
    private static final long DECODE_WAIT_SECONDS = 30;

    /** What was read: the image's size, and its thumbnail unless it could not be made (then null). */
    record Image(int width, int height, Thumbnail thumbnail) {
    }

    record Thumbnail(byte[] bytes, String mimeType, int width, int height) {
    }

    private final int size;
    private final long maxPixels;
    private final Semaphore decoding;

    Thumbnailer(int size, long maxPixels, int concurrency) {
        this.size = size;
        this.maxPixels = maxPixels;
        this.decoding = new Semaphore(concurrency);
    }

    static boolean reads(String mimeType) {
        return READABLE.contains(mimeType);
    }

    /**
     * Reads the image in {@code file} as {@code mimeType}.
     *
     * @throws MediaRefusal INVALID_IMAGE when its header is not one of that type, IMAGE_TOO_LARGE
     *     past the pixel limit, UNAVAILABLE when every decoder stayed busy
     */
    Image read(Path file, String mimeType) throws IOException {
        ImageReader reader = readerOf(mimeType);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new IOException("no image input stream for " + file);
            }
            reader.setInput(in, true, true);
            int width;
            int height;
            try {
                width = reader.getWidth(0);
                height = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw new MediaRefusal(MediaProblem.INVALID_IMAGE, "the body is not a readable " + mimeType + " image");
            }
            if (width <= 0 || height <= 0) {
                throw new MediaRefusal(MediaProblem.INVALID_IMAGE, "the image has no pixels");
            }
            if ((long) width * height > maxPixels) {
                throw new MediaRefusal(MediaProblem.IMAGE_TOO_LARGE, "the image is " + width + "x" + height
                        + ", over the limit of " + maxPixels + " pixels");
            }
            return new Image(width, height, thumbnail(reader, width, height));
        } finally {
            reader.dispose();
        }
    }

    private Thumbnail thumbnail(ImageReader reader, int width, int height) {
        acquire();
        try {
            double scale = Math.min(1.0, Math.min((double) size / width, (double) size / height));
            int targetWidth = Math.max(1, (int) Math.round(width * scale));
            int targetHeight = Math.max(1, (int) Math.round(height * scale));
            // Subsampled to at least twice the thumbnail: the halving below then keeps it smooth.
            int step = Math.max(1, Math.min(width / (2 * targetWidth), height / (2 * targetHeight)));
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(step, step, 0, 0);
            BufferedImage decoded = reader.read(0, param);
            boolean alpha = decoded.getColorModel().hasAlpha();
            BufferedImage scaled = scaled(decoded, targetWidth, targetHeight, alpha);
            return alpha ? new Thumbnail(png(scaled), "image/png", targetWidth, targetHeight)
                    : new Thumbnail(jpeg(scaled), "image/jpeg", targetWidth, targetHeight);
        } catch (IOException | RuntimeException e) {
            LOG.debugf("no thumbnail for a %dx%d image: %s", width, height, e.toString());
            return null;
        } finally {
            decoding.release();
        }
    }

    private void acquire() {
        try {
            if (!decoding.tryAcquire(DECODE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new MediaRefusal(MediaProblem.UNAVAILABLE, "too many images are being read; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaRefusal(MediaProblem.UNAVAILABLE, "interrupted while waiting to read the image");
        }
    }

    /** Halves while at least twice too large (each step averages neighbours), then one bilinear step to fit. */
    private static BufferedImage scaled(BufferedImage image, int width, int height, boolean alpha) {
        BufferedImage current = image;
        while (current.getWidth() >= 2 * width && current.getHeight() >= 2 * height) {
            current = draw(current, current.getWidth() / 2, current.getHeight() / 2, alpha);
        }
        return draw(current, width, height, alpha);
    }

    private static BufferedImage draw(BufferedImage source, int width, int height, boolean alpha) {
        BufferedImage target = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = target.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.drawImage(source, 0, 0, width, height, null);
        } finally {
            graphics.dispose();
        }
        return target;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer");
            }
        }
        return bytes.toByteArray();
    }

    private static ImageReader readerOf(String mimeType) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(mimeType);
        if (!readers.hasNext()) {
            throw new IllegalStateException("the JDK has no image reader for " + mimeType);
        }
        return readers.next();
    }
}
