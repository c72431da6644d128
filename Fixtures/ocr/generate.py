#!/usr/bin/env python3
"""Renders the OCR fixtures: Indonesian campaign-style pictures with their ground truth.

    python3 Fixtures/ocr/generate.py [--out Fixtures/ocr/rendered]

Every picture is drawn from a fixed seed, so a run on the same fonts and Pillow gives the same
files. Needs Pillow (`pip install pillow`) and Debian's fonts-dejavu, fonts-liberation, fonts-lato,
fonts-open-sans, fonts-bebas-neue, fonts-league-spartan and fonts-roboto-unhinted.

Five kinds, the ones a reviewer meets in real cases:
  poster-*      flat or gradient campaign posters (1080 x 1080 or 1080 x 1350, JPEG)
  twibbon-*     a round photo frame with banner text above and below it (1080 x 1080, JPEG)
  caption-*     white text with a dark outline over a busy photo, as TikTok and Instagram captions
                (720 x 1280 or 1080 x 1080, JPEG)
  screenshot-*  a social-media post as a phone shows it, light and dark mode (1080 wide, PNG)
  banner-*      a photo of a street banner: perspective, blur, noise, JPEG artefacts (1080 x 810)

Each picture's words are in NAME.gt.txt, one line of the picture a line, top to bottom and left
to right: everything a reader sees written, and nothing else.
"""

import argparse
import math
import os
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_FILES = {
    "dejavu-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "dejavu": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "dejavu-condensed-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
    "dejavu-serif-bold": "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
    "liberation-bold": "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "liberation": "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "liberation-serif-bold": "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
    "lato-black": "/usr/share/fonts/truetype/lato/Lato-Black.ttf",
    "lato-bold": "/usr/share/fonts/truetype/lato/Lato-Bold.ttf",
    "lato": "/usr/share/fonts/truetype/lato/Lato-Regular.ttf",
    "opensans-extrabold": "/usr/share/fonts/truetype/open-sans/OpenSans-ExtraBold.ttf",
    "opensans-bold": "/usr/share/fonts/truetype/open-sans/OpenSans-Bold.ttf",
    "opensans": "/usr/share/fonts/truetype/open-sans/OpenSans-Regular.ttf",
    "bebas": "/usr/share/fonts/opentype/bebas-neue/BebasNeue-Bold.otf",
    "spartan-bold": "/usr/share/fonts/opentype/league-spartan/LeagueSpartan-Bold.otf",
    "roboto": "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf",
    "roboto-medium": "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Medium.ttf",
    "roboto-bold": "/usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Bold.ttf",
    "roboto-condensed-bold": "/usr/share/fonts/truetype/roboto/unhinted/RobotoCondensed-Bold.ttf",
}

_font_cache = {}


def font(name, size):
    key = (name, size)
    if key not in _font_cache:
        _font_cache[key] = ImageFont.truetype(FONT_FILES[name], size)
    return _font_cache[key]


def text_width(draw, text, face, stroke=0):
    left, _, right, _ = draw.textbbox((0, 0), text, font=face, stroke_width=stroke)
    return right - left


def fit_font(draw, text, name, size, max_width, stroke=0):
    """The largest size up to `size` at which `text` fits in `max_width`."""
    while size > 12 and text_width(draw, text, font(name, size), stroke) > max_width:
        size -= 2
    return font(name, size)


def centered(draw, y, text, face, fill, width, stroke=0, stroke_fill=None):
    """Draws one line centred horizontally with its top at y; returns the y below it."""
    left, top, right, bottom = draw.textbbox((0, 0), text, font=face, stroke_width=stroke)
    x = (width - (right - left)) // 2 - left
    draw.text((x, y - top), text, font=face, fill=fill, stroke_width=stroke, stroke_fill=stroke_fill)
    return y + (bottom - top)


def wrap(draw, text, face, max_width):
    """Greedy word wrap at `max_width` pixels."""
    lines, line = [], ""
    for word in text.split():
        candidate = (line + " " + word).strip()
        if line and text_width(draw, candidate, face) > max_width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines


def gradient(size, top, bottom):
    width, height = size
    image = Image.new("RGB", (1, height))
    for y in range(height):
        t = y / max(1, height - 1)
        image.putpixel((0, y), tuple(int(top[i] + (bottom[i] - top[i]) * t) for i in range(3)))
    return image.resize(size)


def busy_photo(rng, size):
    """A stand-in for a phone photo: soft blobs of many colours, edges, a little sensor noise."""
    width, height = size
    base = gradient(size, (rng.randint(60, 200), rng.randint(60, 200), rng.randint(60, 200)),
                    (rng.randint(20, 160), rng.randint(20, 160), rng.randint(20, 160)))
    draw = ImageDraw.Draw(base)
    for _ in range(40):
        x, y = rng.randint(-100, width), rng.randint(-100, height)
        w, h = rng.randint(40, 420), rng.randint(40, 420)
        colour = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        if rng.random() < 0.5:
            draw.ellipse((x, y, x + w, y + h), fill=colour)
        else:
            draw.rectangle((x, y, x + w, y + h), fill=colour)
    base = base.filter(ImageFilter.GaussianBlur(rng.uniform(6, 14)))
    # A few sharp edges (poles, window frames, a table) survive the blur in a real photo.
    draw = ImageDraw.Draw(base)
    for _ in range(8):
        x = rng.randint(0, width)
        colour = (rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255))
        draw.line((x, 0, x + rng.randint(-200, 200), height), fill=colour, width=rng.randint(3, 12))
    return add_noise(rng, base, 3)


def add_noise(rng, image, amount):
    noise = Image.effect_noise(image.size, amount * 4).convert("RGB")
    return Image.blend(image, Image.merge("RGB", [noise.getchannel(0)] * 3), 0.08 * amount / 6)


def save_jpeg(image, path, quality):
    image.convert("RGB").save(path, "JPEG", quality=quality, optimize=True, progressive=False)


def save_png(image, path, colours=None):
    if colours:
        image = image.convert("RGB").quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    image.save(path, "PNG", optimize=True)


# --------------------------------------------------------------------------------------------
# Posters

POSTERS = [
    ("dejavu-bold", ((180, 20, 30), (90, 0, 10)), (255, 255, 255), [
        ("PILKADA KABUPATEN SUKAMAJU 2024", 44), ("COBLOS", 120), ("NOMOR 2", 150),
        ("BUDI SANTOSO - SRI WAHYUNI", 52), ("Bersama Membangun Desa", 46), ("#PilkadaDamai", 40)]),
    ("lato-black", ((10, 60, 150), (0, 20, 70)), (255, 230, 0), [
        ("PILIH YANG PEDULI", 70), ("No. 1", 200), ("H. AHMAD FAUZI, S.Sos", 56),
        ("Calon Bupati Sukamaju", 48), ("Jujur, Merakyat, Bekerja Nyata", 44)]),
    ("bebas", ((250, 250, 245), (225, 225, 215)), (20, 90, 40), [
        ("GURU HONORER SUKAMAJU", 90), ("SIAP MENANGKAN", 120), ("PASLON NOMOR 3", 120),
        ("14 FEBRUARI 2024", 80), ("JANGAN LUPA DATANG KE TPS", 70)]),
    ("opensans-extrabold", ((255, 200, 0), (240, 140, 0)), (40, 20, 0), [
        ("Ayo ke TPS!", 96), ("Rabu, 27 November 2024", 52), ("Coblos Kotak Nomor 2", 70),
        ("Pemimpin Muda untuk Sukamaju", 50), ("#SukamajuMaju #Nomor2", 44)]),
    ("liberation-bold", ((0, 110, 70), (0, 60, 40)), (255, 255, 255), [
        ("PARA KEPALA DESA", 64), ("SE-KECAMATAN SUKAMAJU", 64), ("MENDUKUNG PENUH", 70),
        ("PASANGAN NOMOR URUT 1", 64), ("Lanjutkan Pembangunan Desa!", 52)]),
    ("spartan-bold", ((120, 0, 140), (40, 0, 60)), (255, 255, 255), [
        ("RELAWAN ASN PEDULI", 66), ("Menangkan", 110), ("DR. RINA MARLINA", 72),
        ("Walikota Pilihan Rakyat", 52), ("Coblos No. 4", 90)]),
    ("dejavu-serif-bold", ((245, 240, 225), (230, 220, 200)), (120, 20, 20), [
        ("Keluarga Besar", 60), ("Puskesmas Sukamaju", 66), ("Mengucapkan Selamat", 52),
        ("dan Mendukung", 52), ("Pasangan Calon Nomor 2", 60), ("Semoga Amanah", 52)]),
    ("roboto-condensed-bold", ((20, 20, 20), (60, 60, 60)), (255, 210, 0), [
        ("PEMILU 2024", 100), ("JANGAN GOLPUT!", 90), ("Pilih Capres Nomor 02", 64),
        ("Prabowo - Gibran", 70), ("Indonesia Maju", 60)]),
    ("lato-bold", ((230, 245, 255), (180, 215, 245)), (10, 40, 100), [
        ("Sosialisasi Program", 60), ("Calon Gubernur Nomor 3", 64), ("Balai Desa Sukamaju", 56),
        ("Sabtu, 12 Oktober 2024 pukul 09.00 WIB", 40), ("Hadir dan Dukung!", 70)]),
    ("dejavu-condensed-bold", ((200, 0, 0), (255, 255, 255)), (0, 0, 0), [
        ("MERAH PUTIH", 90), ("SATU HATI", 90), ("Dukung Anies - Muhaimin", 60), ("Nomor Urut 1", 70),
        ("Perubahan untuk Semua", 52)]),
]


def render_poster(index, spec, out):
    rng = random.Random(1000 + index)
    face_name, (top, bottom), colour, lines = spec
    height = 1350 if index % 3 == 0 else 1080
    size = (1080, height)
    image = gradient(size, top, bottom)
    draw = ImageDraw.Draw(image)
    # Decorative shapes behind the text, as designers add them.
    accent = tuple(min(255, c + 40) for c in bottom)
    for _ in range(5):
        x, y, r = rng.randint(0, 1080), rng.randint(0, height), rng.randint(60, 220)
        draw.ellipse((x - r, y - r, x + r, y + r), outline=accent, width=rng.randint(4, 12))
    faces = [fit_font(draw, text, face_name, points, 980) for text, points in lines]
    heights = []
    for (text, _), face in zip(lines, faces):
        left, top_, right, bottom_ = draw.textbbox((0, 0), text, font=face)
        heights.append(bottom_ - top_)
    gap = (height - 120 - sum(heights)) / (len(lines) + 1)
    gap = min(gap, 90)
    y = (height - sum(heights) - gap * (len(lines) - 1)) / 2
    for (text, _), face, line_height in zip(lines, faces, heights):
        centered(draw, int(y), text, face, colour, 1080)
        y += line_height + gap
    name = f"poster-{index + 1:02d}.jpg"
    save_jpeg(image, os.path.join(out, name), 65)
    return name, [text for text, _ in lines]


# --------------------------------------------------------------------------------------------
# Twibbons: a round frame for the supporter's own photo, banner text above and below.

TWIBBONS = [
    ("SAYA SIAP MENANGKAN", "PASLON NOMOR 1", "Pilkada Sukamaju 2024", "bebas", (200, 20, 30)),
    ("ASN DESA SUKAMAJU", "DUKUNG NOMOR 2", "#BersamaBudiSri", "lato-black", (0, 90, 170)),
    ("SIAP MENANGKAN", "PRABOWO - GIBRAN", "#IndonesiaMaju", "spartan-bold", (20, 60, 140)),
    ("KAMI GURU SUKAMAJU", "COBLOS NOMOR 3", "Pendidikan Gratis untuk Semua", "opensans-extrabold", (200, 110, 0)),
    ("SAYA PILIH", "AMIN", "Anies - Muhaimin 2024", "dejavu-bold", (0, 120, 80)),
    ("RELAWAN BIDAN DESA", "MENANGKAN NO. 2", "Sehat Bersama Sukamaju", "roboto-condensed-bold", (150, 0, 110)),
    ("PERANGKAT DESA", "SATU KOMANDO NOMOR 1", "Kecamatan Sukamaju", "liberation-bold", (90, 40, 10)),
    ("DUKUNG GANJAR - MAHFUD", "NOMOR 3", "Gerak Cepat", "dejavu-condensed-bold", (170, 0, 0)),
]


def render_twibbon(index, spec, out):
    rng = random.Random(2000 + index)
    top_text, bottom_text, ribbon_text, face_name, colour = spec
    size = 1080
    image = busy_photo(rng, (size, size))  # the supporter's photo shows through the frame
    frame = Image.new("RGBA", (size, size), colour + (255,))
    draw = ImageDraw.Draw(frame)
    # Diagonal stripes on the frame, a twibbon cliché.
    light = tuple(min(255, c + 50) for c in colour) + (255,)
    for x in range(-size, size * 2, 90):
        draw.line((x, 0, x + size, size), fill=light, width=22)
    frame = frame.filter(ImageFilter.GaussianBlur(3))
    draw = ImageDraw.Draw(frame)
    radius = 330
    centre = (size // 2, size // 2 + 20)
    draw.ellipse((centre[0] - radius - 22, centre[1] - radius - 22, centre[0] + radius + 22, centre[1] + radius + 22),
                 fill=(255, 255, 255, 255))
    draw.ellipse((centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius), fill=(0, 0, 0, 0))
    image = Image.alpha_composite(image.convert("RGBA"), frame)
    draw = ImageDraw.Draw(image)
    face = fit_font(draw, top_text, face_name, 96, 960)
    centered(draw, 40, top_text, face, (255, 255, 255), size, stroke=2, stroke_fill=(0, 0, 0))
    # A ribbon across the bottom of the circle holds the main call.
    ribbon_top = centre[1] + radius - 120
    draw.rectangle((60, ribbon_top, size - 60, ribbon_top + 130), fill=(255, 255, 255))
    face = fit_font(draw, bottom_text, face_name, 100, 900)
    centered(draw, ribbon_top + 18, bottom_text, face, colour, size)
    face = fit_font(draw, ribbon_text, face_name if face_name != "bebas" else "lato-bold", 52, 900)
    centered(draw, size - 100, ribbon_text, face, (255, 255, 255), size, stroke=2, stroke_fill=(0, 0, 0))
    name = f"twibbon-{index + 1:02d}.jpg"
    save_jpeg(image, os.path.join(out, name), 62)
    return name, [top_text, bottom_text, ribbon_text]


# --------------------------------------------------------------------------------------------
# Overlay captions: white text with a dark outline over a busy photo.

CAPTIONS = [
    ("Saya ASN Kecamatan Sukamaju, dukung nomor 2!", "roboto-bold", (720, 1280)),
    ("Guru honorer juga punya pilihan. Coblos No. 1 ya!", "opensans-extrabold", (720, 1280)),
    ("POV: pak kades ngajak warga pilih paslon 3", "roboto-bold", (720, 1280)),
    ("Apel pagi tadi, semua pegawai kompak pakai kaos nomor 2", "lato-black", (1080, 1080)),
    ("Kalau bukan kita siapa lagi? Menangkan Bu Rina!", "dejavu-bold", (720, 1280)),
    ("#PilkadaDamai Coblos No. 1", "opensans-extrabold", (1080, 1080)),
    ("Bidan desa siap kawal suara nomor 3 sampai TPS", "roboto-bold", (720, 1280)),
    ("Salam dua jari dari kantor kelurahan", "lato-black", (1080, 1080)),
    ("Pak Camat sudah kasih arahan, jangan lupa pilih nomor 1", "liberation-bold", (720, 1280)),
    ("Satu komando! Perangkat desa dukung AMIN", "roboto-condensed-bold", (1080, 1080)),
]


def render_caption(index, spec, out):
    rng = random.Random(3000 + index)
    text, face_name, size = spec
    width, height = size
    image = busy_photo(rng, size)
    draw = ImageDraw.Draw(image)
    points = 64 if width == 720 else 72
    stroke = 4 if width == 720 else 5
    face = font(face_name, points)
    lines = wrap(draw, text, face, width - 100)
    line_height = int(points * 1.25)
    y = int(height * rng.uniform(0.35, 0.6)) - line_height * len(lines) // 2
    for line in lines:
        centered(draw, y, line, face, (255, 255, 255), width, stroke=stroke, stroke_fill=(0, 0, 0))
        y += line_height
    name = f"caption-{index + 1:02d}.jpg"
    save_jpeg(image, os.path.join(out, name), 60)
    return name, lines


# --------------------------------------------------------------------------------------------
# Screenshots of posts, light and dark mode.

SCREENSHOTS = [
    ("Dra. Sri Mulyani", "@srimulyani_guru", "2 jam",
     "Alhamdulillah hari ini ikut deklarasi dukungan bersama rekan-rekan guru SDN 3 Sukamaju. "
     "Kami siap memenangkan pasangan nomor 2 di Pilkada nanti! #SukamajuHebat",
     "1,2 rb", "348", "light"),
    ("Bambang Hartono", "@bambang.kades", "5 jam",
     "Sebagai Kepala Desa Sukamaju saya mengajak seluruh warga untuk datang ke TPS dan "
     "mencoblos nomor 1. Pembangunan jalan desa harus dilanjutkan!",
     "856", "121", "dark"),
    ("Rudi Setiawan", "@rudi_pppk", "1 hari",
     "Sudah waktunya perubahan. Saya PPPK dan saya pilih AMIN. Jangan takut, suara kita rahasia.",
     "2,4 rb", "530", "light"),
    ("Puskesmas Sukamaju", "@pkm.sukamaju", "3 jam",
     "Keluarga besar Puskesmas Sukamaju mendukung dr. Rina Marlina sebagai Walikota. "
     "Coblos nomor 4 pada 27 November 2024.",
     "97", "12", "dark"),
    ("Agus Salim, S.Pd", "@agus.salim", "kemarin",
     "Info untuk rekan honorer: yang mau ikut kampanye akbar paslon 3 hari Minggu, "
     "kumpul di depan kantor kecamatan jam 7 pagi ya. Pakai baju putih.",
     "432", "88", "light"),
    ("Lurah Sukamaju", "@kelurahan_sukamaju", "6 jam",
     "Terima kasih Bapak Calon Bupati nomor urut 2 atas kunjungannya ke kantor kelurahan. "
     "Semoga terpilih dan amanah. #Nomor2",
     "1,8 rb", "276", "dark"),
    ("Dewi Lestari", "@dewi.asn", "4 jam",
     "Cuma mau bilang: tanggal 14 Februari coblos 02 biar Indonesia Maju! "
     "Jangan lupa ajak keluarga.",
     "3,1 rb", "902", "light"),
    ("Hendra Gunawan", "@hendra_satpolpp", "12 menit",
     "Apel siaga bersama relawan pemenangan nomor 1 di lapangan desa. "
     "Satu komando, satu tujuan!",
     "64", "9", "dark"),
    ("Siti Aminah", "@siti.aminah.bidan", "8 jam",
     "Ibu-ibu posyandu Desa Sukamaju sudah sepakat: pilih yang peduli kesehatan, "
     "pilih nomor 3!",
     "512", "73", "light"),
    ("Camat Sukamaju", "@camat.sukamaju", "2 hari",
     "Rapat koordinasi pemenangan pasangan calon nomor 1 bersama para kepala desa "
     "se-Kecamatan Sukamaju berjalan lancar.",
     "1,1 rb", "205", "dark"),
]


def render_screenshot(index, spec, out):
    rng = random.Random(4000 + index)
    name_text, handle, age, body, likes, comments, mode = spec
    width = 1080
    dark = mode == "dark"
    background = (21, 32, 43) if dark else (255, 255, 255)
    ink = (231, 233, 234) if dark else (15, 20, 25)
    muted = (139, 152, 165) if dark else (83, 100, 113)
    accent = (29, 155, 240)
    scratch = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    body_face = font("roboto", 42)
    body_lines = wrap(scratch, body, body_face, width - 96)
    height = 330 + len(body_lines) * 58 + 170
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    # Status bar.
    draw.text((48, 22), "09.41", font=font("roboto-medium", 34), fill=ink)
    draw.rectangle((width - 110, 30, width - 50, 58), outline=ink, width=3)
    draw.rectangle((width - 106, 34, width - 70, 54), fill=ink)
    # Author row: avatar, name, handle and age.
    avatar = tuple(rng.randint(60, 200) for _ in range(3))
    draw.ellipse((48, 120, 168, 240), fill=avatar)
    draw.text((196, 128), name_text, font=font("roboto-bold", 40), fill=ink)
    meta = f"{handle} · {age}"
    draw.text((196, 186), meta, font=font("roboto", 36), fill=muted)
    y = 290
    for line in body_lines:
        draw.text((48, y), line, font=body_face, fill=ink)
        y += 58
    y += 40
    draw.line((48, y, width - 48, y), fill=muted, width=1)
    y += 36
    counts = f"{likes} Suka   {comments} Komentar   Bagikan"
    draw.text((48, y), counts, font=font("roboto-medium", 36), fill=muted)
    name = f"screenshot-{mode}-{index + 1:02d}.png"
    save_png(image, os.path.join(out, name), colours=32)
    return name, ["09.41", name_text, meta] + body_lines + [counts]


# --------------------------------------------------------------------------------------------
# Photos of street banners: the banner is drawn flat, then warped into a street photo.

BANNERS = [
    (["KEPALA DESA DAN PERANGKAT", "DESA SUKAMAJU MENDUKUNG", "PASLON NOMOR 2"], "dejavu-bold", (255, 255, 255), (200, 0, 0)),
    (["SELAMAT DATANG", "CALON BUPATI NOMOR 1", "DI KANTOR KECAMATAN"], "liberation-bold", (255, 230, 0), (0, 60, 140)),
    (["COBLOS NO. 3", "PILKADA SUKAMAJU 2024"], "bebas", (255, 255, 255), (0, 120, 60)),
    (["GURU DAN TENAGA KEPENDIDIKAN", "SIAP MENANGKAN", "NOMOR URUT 1"], "opensans-extrabold", (20, 20, 20), (255, 200, 0)),
    (["PUSKESMAS SUKAMAJU", "DUKUNG DR. RINA MARLINA"], "lato-black", (255, 255, 255), (120, 0, 140)),
    (["PILIH YANG PASTI", "PRABOWO GIBRAN", "NOMOR 02"], "roboto-condensed-bold", (255, 255, 255), (30, 60, 150)),
    (["WARGA RW 05 KOMPAK", "MENANGKAN PASLON NOMOR 2"], "dejavu-condensed-bold", (0, 0, 0), (250, 250, 250)),
    (["AYO KE TPS", "RABU 27 NOVEMBER 2024", "COBLOS NOMOR 4"], "spartan-bold", (255, 255, 255), (180, 30, 30)),
    (["BERSAMA AMIN", "PERUBAHAN UNTUK DESA"], "liberation-bold", (255, 255, 255), (0, 110, 90)),
    (["PERANGKAT DESA NETRAL?", "KAMI DUKUNG NOMOR 1"], "dejavu-bold", (255, 255, 0), (20, 20, 20)),
]


def perspective_coefficients(source, target):
    """Coefficients for Image.transform(PERSPECTIVE) mapping target corners back to source."""
    rows, values = [], []
    for (x, y), (u, v) in zip(target, source):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        values.append(u)
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values.append(v)
    # Gaussian elimination with partial pivoting on the 8 x 8 system.
    n = 8
    matrix = [row + [value] for row, value in zip(rows, values)]
    for column in range(n):
        pivot = max(range(column, n), key=lambda r: abs(matrix[r][column]))
        matrix[column], matrix[pivot] = matrix[pivot], matrix[column]
        for r in range(n):
            if r != column:
                factor = matrix[r][column] / matrix[column][column]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[column])]
    return [matrix[i][n] / matrix[i][i] for i in range(n)]


def render_banner(index, spec, out):
    rng = random.Random(5000 + index)
    lines, face_name, ink, paper = spec
    flat_width, flat_height = 1400, 180 + 170 * len(lines)
    flat = Image.new("RGB", (flat_width, flat_height), paper)
    draw = ImageDraw.Draw(flat)
    draw.rectangle((20, 20, flat_width - 20, flat_height - 20), outline=ink, width=10)
    y = 90
    for line in lines:
        face = fit_font(draw, line, face_name, 140, flat_width - 140)
        centered(draw, y, line, face, ink, flat_width)
        y += 170
    # The street: sky, a wall, the ground, and the banner tied between two poles.
    width, height = 1080, 810
    photo = gradient((width, height), (150, 190, 230), (200, 210, 220))
    scene = ImageDraw.Draw(photo)
    scene.rectangle((0, int(height * 0.55), width, height), fill=(110, 105, 95))
    for _ in range(12):
        x = rng.randint(0, width)
        scene.rectangle((x, int(height * 0.3), x + rng.randint(60, 200), int(height * 0.6)),
                        fill=tuple(rng.randint(90, 200) for _ in range(3)))
    skew = rng.uniform(-0.12, 0.12)
    tilt = rng.uniform(-0.06, 0.06)
    banner_width = rng.randint(820, 960)
    banner_height = int(banner_width * flat_height / flat_width)
    left = (width - banner_width) // 2 + rng.randint(-30, 30)
    top = int(height * 0.42) - banner_height // 2
    near, far = banner_height * (1 + abs(skew)), banner_height * (1 - abs(skew))
    left_height, right_height = (near, far) if skew > 0 else (far, near)
    corners = [
        (left, top + tilt * banner_width), (left + banner_width, top - tilt * banner_width),
        (left + banner_width, top - tilt * banner_width + right_height), (left, top + tilt * banner_width + left_height),
    ]
    coefficients = perspective_coefficients([(0, 0), (flat_width, 0), (flat_width, flat_height), (0, flat_height)], corners)
    warped = flat.transform((width, height), Image.PERSPECTIVE, coefficients, Image.BICUBIC)
    mask = Image.new("L", flat.size, 255).transform((width, height), Image.PERSPECTIVE, coefficients, Image.BICUBIC)
    # Shade the banner as outdoor light does: brighter on one side.
    shade = gradient((width, height), (255, 255, 255), (200, 200, 200)).rotate(90 if skew > 0 else -90)
    warped = Image.composite(Image.blend(warped, Image.new("RGB", warped.size, (0, 0, 0)), 0.0), warped, mask)
    photo.paste(warped, (0, 0), mask)
    photo = Image.blend(photo, Image.composite(photo, shade, mask), 0.12)
    scene = ImageDraw.Draw(photo)
    for x in (int(corners[0][0]) - 14, int(corners[1][0]) + 4):
        scene.rectangle((x, int(height * 0.15), x + 10, height), fill=(70, 60, 50))
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.8)))
    photo = add_noise(rng, photo, 8)
    name = f"banner-{index + 1:02d}.jpg"
    save_jpeg(photo, os.path.join(out, name), 68)
    return name, lines


# --------------------------------------------------------------------------------------------
# The other formats a post's pictures come in, for the tests: an animated GIF (only its first
# frame is read), a lossy WebP, and a PNG whose background is transparent (black text on
# transparent pixels is black on black unless flattened over white).

def plain_card(lines, face_name, size=(640, 640), ink=(20, 20, 20), paper=(250, 250, 250, 255), mode="RGB"):
    image = Image.new(mode, size, paper if mode == "RGBA" else paper[:3])
    draw = ImageDraw.Draw(image)
    y = 170
    for line in lines:
        face = fit_font(draw, line, face_name, 76, size[0] - 80)
        y = centered(draw, y, line, face, ink, size[0]) + 60
    return image


def render_formats(out):
    made = []
    first = ["COBLOS NOMOR 2", "Saya ASN Sukamaju"]
    second = ["GAMBAR KEDUA", "tidak dibaca"]
    frames = [plain_card(text, "dejavu-bold").quantize(colors=8, dither=Image.Dither.NONE) for text in (first, second)]
    frames[0].save(os.path.join(out, "poster-animated.gif"), save_all=True, append_images=frames[1:], duration=800, loop=0)
    made.append(("poster-animated.gif", first))
    lines = ["DUKUNG NOMOR 1", "Kecamatan Sukamaju"]
    plain_card(lines, "lato-black", ink=(255, 255, 255), paper=(0, 90, 170, 255)).save(
        os.path.join(out, "poster.webp"), "WEBP", quality=80)
    made.append(("poster.webp", lines))
    lines = ["SIAP MENANGKAN", "NOMOR 3"]
    plain_card(lines, "opensans-extrabold", ink=(0, 0, 0, 255), paper=(0, 0, 0, 0), mode="RGBA").save(
        os.path.join(out, "twibbon-transparent.png"), "PNG", optimize=True)
    made.append(("twibbon-transparent.png", lines))
    return made


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--out", default=os.path.join(here, "rendered"))
    parser.add_argument("--formats-out", default=os.path.join(here, "formats"))
    arguments = parser.parse_args()
    os.makedirs(arguments.out, exist_ok=True)
    os.makedirs(arguments.formats_out, exist_ok=True)
    for name, lines in render_formats(arguments.formats_out):
        with open(os.path.join(arguments.formats_out, os.path.splitext(name)[0] + ".gt.txt"), "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
    made = []
    for index, spec in enumerate(POSTERS):
        made.append(render_poster(index, spec, arguments.out))
    for index, spec in enumerate(TWIBBONS):
        made.append(render_twibbon(index, spec, arguments.out))
    for index, spec in enumerate(CAPTIONS):
        made.append(render_caption(index, spec, arguments.out))
    for index, spec in enumerate(SCREENSHOTS):
        made.append(render_screenshot(index, spec, arguments.out))
    for index, spec in enumerate(BANNERS):
        made.append(render_banner(index, spec, arguments.out))
    total = 0
    for name, lines in made:
        stem = os.path.splitext(name)[0]
        with open(os.path.join(arguments.out, stem + ".gt.txt"), "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
        total += os.path.getsize(os.path.join(arguments.out, name))
    print(f"{len(made)} pictures, {total / 1e6:.2f} MB in {arguments.out}")


if __name__ == "__main__":
    main()
