/// The prohibited acts of the 2022 joint decree (SKB 5 lembaga No. 2/2022, Lampiran), by the ids
/// rule packs use. Titles are reviewer-facing, in Bahasa Indonesia.
public enum ProhibitedAct {
    public static let titles: [String: String] = [
        "A1": "Memasang spanduk/baliho/alat peraga untuk (bakal) calon",
        "A2": "Sosialisasi/kampanye melalui media sosial/online untuk (bakal) calon",
        "A3": "Melakukan pendekatan ke partai politik untuk menjadi calon",
        "A4": "Menghadiri deklarasi/kampanye dan memberikan dukungan aktif",
        "A5": "Menjadi anggota atau pengurus partai politik",
        "A6": "Membuat posting, comment, share, like, bergabung/follow grup atau akun pemenangan",
        "A7": "Mengunggah foto bersama calon, tim kampanye, atribut partai, atau alat peraga",
        "A8": "Kegiatan yang mengarah pada keberpihakan (pertemuan, ajakan, imbauan, pemberian barang)",
        "A9": "Menjadi tim ahli, tim pemenangan, atau konsultan partai/calon",
        "A10": "Ikut serta dalam kampanye, sosialisasi, atau pengenalan (bakal) calon",
        "A11": "Ikut dalam deklarasi/kampanye pasangan suami/istri yang menjadi calon",
        "A12": "Memberikan dukungan kepada calon perseorangan dengan fotokopi KTP",
        "A13": "Membuat keputusan yang menguntungkan atau merugikan calon",
    ]

    public static func title(of act: String) -> String {
        titles[act] ?? "Tindakan \(act)"
    }
}
