#!/usr/bin/env python3
"""Writes the fetch benchmark's site: PAGES pages spread over HOSTS host folders.

Each page is a small Indonesian news/blog page built from invented sentences in several voices,
so extraction and judging do real work; about one page in 25 carries an ASN campaign post, so
the scan also writes bundles. Deterministic (fixed seed): every run serves the same bytes.
"""
import argparse
import os
import random

OPENINGS = [
    "Warga Desa Sukamaju bergotong royong membersihkan saluran air menjelang musim hujan.",
    "Harga cabai di pasar kecamatan turun dua ribu rupiah dibanding pekan lalu.",
    "Posyandu Melati membuka layanan timbang balita setiap Selasa pagi.",
    "Karang taruna menggelar turnamen voli antar-RW di lapangan balai desa.",
    "Dinas Pendidikan mengumumkan jadwal penerimaan peserta didik baru.",
    "Petani di bantaran sungai mulai menanam padi varietas tahan genangan.",
    "Perpustakaan keliling singgah di sekolah dasar negeri tiga selama dua hari.",
    "Resep kue lapis legit ini cocok untuk hidangan arisan keluarga.",
]
MIDDLES = [
    "Menurut ketua RT setempat, kegiatan ini rutin dilakukan setiap bulan.",
    "Sejumlah pedagang berharap harga tetap stabil hingga akhir tahun.",
    "Panitia menyediakan air minum dan kotak P3K bagi peserta.",
    "Orang tua diminta membawa kartu keluarga dan akta kelahiran.",
    "Kegiatan berlangsung tertib dan dihadiri puluhan warga.",
    "Informasi lebih lanjut dapat ditanyakan langsung ke kantor desa.",
]
CAMPAIGN = [
    "Saya sebagai Camat mengajak seluruh warga untuk memilih pasangan Anies - Muhaimin pada 14 Februari.",
    "Sebagai kepala desa saya dukung penuh Prabowo - Gibran, ayo coblos nomor dua!",
    "Guru-guru PNS di sekolah kami siap memenangkan Ganjar - Mahfud, pilih nomor tiga.",
]


def page(host, number, rng):
    paragraphs = [rng.choice(OPENINGS)] + [rng.choice(MIDDLES) for _ in range(rng.randint(6, 14))]
    if rng.random() < 0.04:
        paragraphs.insert(rng.randint(1, len(paragraphs)), rng.choice(CAMPAIGN))
    body = "\n".join(f"    <p>{text}</p>" for text in paragraphs)
    title = paragraphs[0].split(",")[0][:60]
    return f"""<!doctype html>
<html lang="id">
<head>
  <meta charset="utf-8">
  <title>{title} | Kabar {host}</title>
  <meta property="og:title" content="{title}">
</head>
<body>
  <header><nav><a href="/">Beranda</a> <a href="/arsip/">Arsip</a></nav></header>
  <article>
    <h1>{title}</h1>
    <p class="meta">Ditulis oleh redaksi, halaman {number}</p>
{body}
  </article>
  <footer><p>Kabar {host} &mdash; situs warga.</p></footer>
</body>
</html>
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=20)
    arguments = parser.parse_args()
    rng = random.Random(20261201)
    for number in range(arguments.pages):
        host = number % arguments.hosts + 1
        folder = os.path.join(arguments.folder, f"host{host:02d}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"halaman-{number:04d}.html"), "w", encoding="utf-8") as handle:
            handle.write(page(f"host{host:02d}", number, rng))


if __name__ == "__main__":
    main()
