"""Lays the real samples out as plain files for the benchmark and prints the manifest
(platform, file, URL the answer came from), one answer a line."""
import gzip, os, random, sys

import yaml

samples, work = sys.argv[1], sys.argv[2]


def plain(relative, name=None, gz=False):
    source = os.path.join(samples, relative)
    target = os.path.join(work, name or os.path.basename(relative).removesuffix(".gz"))
    data = gzip.open(source).read() if gz else open(source, "rb").read()
    open(target, "wb").write(data)
    return target


rows = [
    ("tiktok", plain("tiktok/video.html"), "https://www.tiktok.com/@illojuan/video/7571863205253778710"),
    ("tiktok", plain("tiktok/profile.html.gz", gz=True), "https://www.tiktok.com/@illojuan"),
    ("instagram", plain("instagram/post_BWUDBntl3_Z.html"), "https://www.instagram.com/p/BWUDBntl3_Z/"),
    ("x", plain("twitter-x/raw_tweet_details.json"), "https://x.com/i/api/graphql/q/TweetDetail"),
    ("x", plain("twitter-x/raw_user_tweets.json.gz", gz=True), "https://x.com/i/api/graphql/q/UserTweets"),
    ("x", plain("twitter-x/raw_user_by_login.json"), "https://x.com/i/api/graphql/q/UserByScreenName"),
    ("youtube", plain("youtube/feeds_videos.xml"), "https://www.youtube.com/feeds/videos.xml?user=google"),
    ("youtube", plain("youtube/watch_GJLlxj_dtq8.html.gz", gz=True), "https://www.youtube.com/watch?v=GJLlxj_dtq8"),
    ("youtube", plain("youtube/innertube_player.json"), "https://www.youtube.com/youtubei/v1/player"),
    ("youtube", plain("youtube/api_comment_threads_by_video_paged_1.json"), "https://www.googleapis.com/youtube/v3/commentThreads"),
    ("youtube", plain("youtube/api_comment_threads_by_video_paged_2.json"), "https://www.googleapis.com/youtube/v3/commentThreads"),
    ("youtube", plain("youtube/api_comments_by_parent_paged_1.json"), "https://www.googleapis.com/youtube/v3/comments"),
    ("telegram", plain("telegram/t.me_s_codecamp.html"), "https://t.me/s/codecamp"),
    ("telegram", plain("telegram/t.me_s_excelhackru.html"), "https://t.me/s/excelhackru"),
    ("telegram", plain("telegram/t.me_codecamp.html"), "https://t.me/codecamp"),
    ("facebook", plain("facebook/m.facebook.com_groups_permalink_1629606003787605.html"),
     "https://m.facebook.com/groups/southamericansincomputing/permalink/1629606003787605/"),
]
cassette = yaml.load(open(os.path.join(samples, "facebook/TestGetPosts.test_get_posts.yaml")), Loader=yaml.Loader)
story = os.path.join(work, "fb_story.html")
open(story, "wb").write(gzip.decompress(cassette["interactions"][1]["response"]["body"]["string"]))
rows.append(("facebook", story, "https://m.facebook.com/story.php?story_fbid=3065154550235644&id=119240841493711"))

# WhatsApp: no real export is public; 20,000 messages in the Android Indonesian layout.
random.seed(7)
names = ["Pak RT 05", "Bu Lurah", "+62 812-3456-7890", "Ani", "Budi Santoso"]
words = "ayo warga kerja bakti minggu pagi jangan lupa datang ke balai desa terima kasih".split()
lines = []
for index in range(20_000):
    day, minute = 1 + index // 1440 % 28, index % 1440
    text = " ".join(random.choice(words) for _ in range(random.randint(3, 14)))
    lines.append(f"{day:02d}/01/24 {minute // 60:02d}.{minute % 60:02d} - {random.choice(names)}: {text}")
    if index % 10 == 0:
        lines.append("baris lanjutan pesan yang sama")
chat = os.path.join(work, "whatsapp_chat.txt")
open(chat, "w").write("\n".join(lines) + "\n")
rows.append(("whatsapp", chat, "file:///bench/whatsapp_chat.txt"))

for platform, path, url in rows:
    print(f"{platform}\t{path}\t{url}")
