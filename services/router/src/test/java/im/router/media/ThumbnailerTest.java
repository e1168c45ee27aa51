package im.router.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThumbnailerTest {

    private final Thumbnailer thumbnailer = new Thumbnailer(320, 40_000_000, 1);

    @TempDir
    Path dir;

    @Test
    void wideJpeg_getsAJpegThumbnailFittingTheBox_keepingItsAspect() throws IOException {
        Thumbnailer.Image image = thumbnailer.read(file(TestImages.picture(2000, 1000, "jpeg")), "image/jpeg");

        assertEquals(2000, image.width());
        assertEquals(1000, image.height());
        assertEquals("image/jpeg", image.thumbnail().mimeType());
        BufferedImage thumbnail = TestImages.decode(image.thumbnail().bytes());
        assertEquals(320, thumbnail.getWidth());
        assertEquals(160, thumbnail.getHeight());
    }

    @Test
    void tallPng_fitsTheBoxByItsHeight() throws IOException {
        Thumbnailer.Image image = thumbnailer.read(file(TestImages.picture(500, 1500, "png")), "image/png");

        BufferedImage thumbnail = TestImages.decode(image.thumbnail().bytes());
        assertEquals(107, thumbnail.getWidth());
        assertEquals(320, thumbnail.getHeight());
    }

    @Test
    void transparentPng_getsAPngThumbnailThatKeepsItsAlpha() throws IOException {
        Thumbnailer.Image image = thumbnailer.read(file(TestImages.translucentPng(640, 640)), "image/png");

        assertEquals("image/png", image.thumbnail().mimeType());
        BufferedImage thumbnail = TestImages.decode(image.thumbnail().bytes());
        assertTrue(thumbnail.getColorModel().hasAlpha());
        assertEquals(0, thumbnail.getRGB(300, 10) >>> 24, "the transparent half stays transparent");
    }

    @Test
    void smallImage_isNotEnlarged() throws IOException {
        Thumbnailer.Image image = thumbnailer.read(file(TestImages.picture(40, 30, "png")), "image/png");

        assertEquals(40, image.thumbnail().width());
        assertEquals(30, image.thumbnail().height());
    }

    @Test
    void headerClaimingTooManyPixels_isRefusedBeforeDecoding() throws IOException {
        MediaRefusal refusal = assertThrows(MediaRefusal.class,
                () -> thumbnailer.read(file(TestImages.pngHeaderClaiming(100_000, 100_000)), "image/png"));

        assertEquals(MediaProblem.IMAGE_TOO_LARGE, refusal.problem());
    }

    @Test
    void bodyThatIsNotTheClaimedType_isRefusedAsInvalid() throws IOException {
        MediaRefusal refusal = assertThrows(MediaRefusal.class,
                () -> thumbnailer.read(file(TestImages.picture(100, 100, "png")), "image/jpeg"));

        assertEquals(MediaProblem.INVALID_IMAGE, refusal.problem());
    }

    @Test
    void headerThatReadsButPixelsThatDoNot_keepsTheSizeWithoutThumbnail() throws IOException {
        Thumbnailer.Image image = thumbnailer.read(file(TestImages.pngHeaderClaiming(300, 200)), "image/png");

        assertEquals(300, image.width());
        assertEquals(200, image.height());
        assertNull(image.thumbnail());
    }

    @Test
    void gif_getsAThumbnail() throws IOException {
        Thumbnailer.Image image = thumbnailer.read(file(TestImages.picture(400, 400, "gif")), "image/gif");

        assertNotNull(image.thumbnail());
        assertEquals(320, TestImages.decode(image.thumbnail().bytes()).getWidth());
    }

    private Path file(byte[] bytes) throws IOException {
        return Files.write(Files.createTempFile(dir, "image", ".bin"), bytes);
    }
}
