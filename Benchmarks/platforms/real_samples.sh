#!/usr/bin/env bash
# Runs every platform parser over the real answers in SAMPLES_DIR (default ../shared/samples)
# and prints, per answer, what came out: posts, profiles, walls, cursors, transcript tracks,
# notes, and the first post. Not a test: the samples are not part of the repository.
#
#   Benchmarks/platforms/real_samples.sh [SAMPLES_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
SAMPLES="${1:-../shared/samples}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

swift build --product netral-bench-platforms >/dev/null
BENCH="$(swift build --show-bin-path)/netral-bench-platforms"
python3 Benchmarks/platforms/prepare.py "$SAMPLES" "$WORK" > "$WORK/manifest.tsv"
while IFS=$'\t' read -r platform file url; do
    [ "$platform" = whatsapp ] && continue   # generated, not a real sample
    if ! "$BENCH" dump "$platform" "$file" "$url" > "$WORK/page.json" 2> "$WORK/error.txt"; then
        echo "$platform $(basename "$file"): ERROR $(cat "$WORK/error.txt")"
        continue
    fi
    python3 - "$platform" "$(basename "$file")" "$WORK/page.json" <<'PY'
import json, sys
platform, name, path = sys.argv[1:4]
page = json.load(open(path))
posts = page["posts"]
kinds = {}
for post in posts:
    kinds[post["kind"]] = kinds.get(post["kind"], 0) + 1
tracks = sum(len(post["transcript_tracks"]) for post in posts)
media = sum(len(post["media"]) for post in posts)
print(f"{platform} {name}: posts {kinds or 0}, profiles {len(page['profiles'])}, media {media}, transcript tracks {tracks}, "
      f"wall {page.get('wall')}, next {'yes' if page.get('next') else 'no'}, notes {len(page['notes'])}")
if posts:
    item = posts[0]["item"]
    author = item.get("author") or {}
    print(f"    first: {item['source_url']} by {author.get('handle') or author.get('name')} (id {author.get('account_id')}) "
          f"at {item.get('published_at')}: {item['body'][:90]!r} hashtags {item['hashtags'][:4]}")
for profile in page["profiles"][:1]:
    print(f"    profile: {profile.get('handle')} id {profile.get('account_id')} name {profile.get('display_name')!r} bio {(profile.get('bio') or '')[:60]!r}")
PY
done < "$WORK/manifest.tsv"
