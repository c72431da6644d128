"""Generates the matching benchmark's inputs, deterministically:

- corpus.txt: Indonesian social-media style posts, one per line (about --megabytes MB);
- names.txt: --names synthetic person names, one per line (the 20,000-name pack's terms);
- names-pack.yaml: the same names as a Netral rule pack (kind candidate), loaded beside the
  shipped packs.

Words are drawn from a small Indonesian vocabulary plus the shipped packs' kind of terms, so the
matchers see realistic hit rates."""
import argparse
import random

VOCAB = """yang dan di ke dari untuk dengan ini itu ada tidak sudah akan bisa juga kita saya kami
mereka warga desa kecamatan kabupaten kota sekolah guru murid pasar jalan rumah kantor dinas
program bantuan air listrik sawah panen hujan banjir jembatan posyandu puskesmas bidan perawat
lomba kelas ujian rapat kerja bakti gotong royong pengajian masjid gereja pura acara hari
minggu senin selasa rabu kamis jumat sabtu pagi siang sore malam besok kemarin tadi gaes yuk
mantap mantul wkwk otw bestie yg dgn tdk utk bgt aja nih sih dong kok lho deh monggo nggih
sampeyan pian kada ulun bubuhan ayuha semoga lancar sehat selalu terima kasih selamat ulang
tahun keluarga anak ibu bapak kakak adik teman tetangga foto bareng share like komen follow
grup relawan posko kampanye deklarasi pilih coblos dukung menang nomor satu dua tiga capres
cawapres partai caleg bawaslu netralitas asn pns pppk honorer camat lurah kades sekda kadis""".split()

EXTRA = ["Prabowo", "Gibran", "Anies", "Ganjar", "Mahfud", "#PrabowoGibran2024", "#GanjarMahfud2024",
         "#AMIN", "✌️", "☝️", "🙏", "😁", "💪", "PDIP", "Golkar", "Gerindra", "NasDem", "PKB", "PKS",
         "Rudy Mas'ud", "Isran Noor", "#rudyseno", "Gratispol", "pr4bowo", "ganjaaar", "mendukung",
         "memilih", "mencoblos", "NIP 19850312 201001 1 004", "budi@pnsmail.go.id"]

SYLLABLES = ["ba", "bu", "di", "da", "ka", "ki", "ko", "la", "li", "ma", "mi", "na", "ni", "no", "ra",
             "ri", "ru", "sa", "si", "su", "ta", "ti", "tu", "wa", "wi", "ya", "yu", "an", "in", "ar",
             "har", "sur", "wan", "dar", "jo", "gun", "lis", "tan", "mad", "rah"]


def name(rng):
    def word():
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    return f"{word()} {word()}" if rng.random() < 0.8 else word() + " " + word() + " " + word()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--megabytes", type=float, default=16)
    parser.add_argument("--names", type=int, default=20000)
    args = parser.parse_args()
    rng = random.Random(20240214)

    names = set()
    while len(names) < args.names:
        names.add(name(rng))
    names = sorted(names)
    with open(f"{args.out}/names.txt", "w", encoding="utf-8") as out:
        out.write("\n".join(names) + "\n")
    with open(f"{args.out}/names-pack.yaml", "w", encoding="utf-8") as out:
        out.write("format: 1\npack: nama-sintetis\nversion: \"1\"\nsignals:\n  nama-sintetis:\n    kind: candidate\n    terms:\n")
        for value in names:
            out.write(f"      - \"{value}\"\n")

    target = int(args.megabytes * 1024 * 1024)
    size = 0
    with open(f"{args.out}/corpus.txt", "w", encoding="utf-8") as out:
        while size < target:
            words = []
            for _ in range(rng.randint(15, 60)):
                roll = rng.random()
                if roll < 0.03:
                    words.append(rng.choice(EXTRA))
                elif roll < 0.04:
                    words.append(rng.choice(names))
                else:
                    words.append(rng.choice(VOCAB))
            line = " ".join(words) + "\n"
            out.write(line)
            size += len(line.encode("utf-8"))


if __name__ == "__main__":
    main()
