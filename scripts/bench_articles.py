#!/usr/bin/env python3
"""Writes N synthetic news articles as JSONL for the ingest benchmark (BENCHMARKS.md).

    bench_articles.py N OUT.jsonl [SEED]

Each article is a dated wire story of five to nine sentences in English, Indonesian,
Russian or Ukrainian: an attack, a capture, aid or talks in a region with actors, a
relative date ("on Tuesday", "kemarin"), an absolute one, quotes and boilerplate — the
kind of text `linimasa ingest` reads — with a unique URL and text (no duplicates).
"""

import datetime
import json
import random
import sys

REGIONS = {
    "en": ["Donetsk region", "Kharkiv region", "Zaporizhzhia region", "Kherson region",
           "Kursk region", "Belgorod region", "Sumy region", "Dnipropetrovsk region",
           "Luhansk region", "Odesa region", "Mykolaiv region", "Kyiv"],
    "id": ["wilayah Donetsk", "wilayah Kharkiv", "wilayah Zaporizhzhia", "wilayah Kherson",
           "wilayah Kursk", "wilayah Belgorod", "wilayah Sumy", "Kyiv"],
    "ru": ["Донецкой области", "Харьковской области", "Запорожской области",
           "Херсонской области", "Курской области", "Белгородской области"],
    "uk": ["Донецькій області", "Харківській області", "Запорізькій області",
           "Херсонській області", "Курській області", "Сумській області"],
}
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"],
    "uk": ["січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
           "вересня", "жовтня", "листопада", "грудня"],
}
WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
EVENTS = {
    "en": [
        "{d} Russian forces launched a missile strike on energy infrastructure in the {r}, the regional governor said.",
        "{d} Ukrainian troops repelled an assault by Russian forces near a village in the {r}.",
        "{d} Russian drones attacked residential buildings in the {r}, killing two people.",
        "{d} Ukraine's military said it had recaptured a settlement in the {r}.",
        "{d} the United States announced a new military aid package for Ukraine.",
        "{d} Russia and Ukraine exchanged prisoners of war after talks mediated by the United Arab Emirates.",
        "{d} North Korean troops were deployed to the {r}, according to Ukrainian intelligence.",
    ],
    "id": [
        "{d}, pasukan Rusia melancarkan serangan rudal ke infrastruktur energi di {r}.",
        "{d}, tentara Ukraina menghalau serangan pasukan Rusia di dekat sebuah desa di {r}.",
        "{d}, drone Rusia menyerang permukiman di {r} dan menewaskan dua orang.",
        "{d}, Amerika Serikat mengumumkan paket bantuan militer baru untuk Ukraina.",
        "{d}, Rusia dan Ukraina bertukar tawanan perang.",
    ],
    "ru": [
        "{d} российские войска нанесли ракетный удар по объектам энергетики в {r}.",
        "{d} ВСУ атаковали беспилотниками населённые пункты в {r}, сообщил губернатор.",
        "{d} Россия и Украина провели обмен военнопленными.",
    ],
    "uk": [
        "{d} російські війська завдали ракетного удару по енергетичних об'єктах у {r}.",
        "{d} ЗСУ відбили штурм російських військ у {r}.",
        "{d} Росія та Україна провели обмін полоненими.",
    ],
}
FILLER = {
    "en": ["The claims could not be independently verified.",
           "Moscow did not immediately comment on the report.",
           "Officials said repair crews were working to restore power.",
           "\"We will respond,\" a spokesperson told reporters.",
           "Read more: live updates on the war."],
    "id": ["Klaim tersebut belum dapat diverifikasi secara independen.",
           "Pihak Moskwa belum memberikan tanggapan.",
           "Baca juga: perkembangan terbaru perang Rusia-Ukraina."],
    "ru": ["Эти данные не удалось независимо проверить.",
           "В Киеве ситуацию не прокомментировали."],
    "uk": ["Ці дані не вдалося незалежно перевірити.",
           "У Москві ситуацію не прокоментували."],
}
PUBLISHERS = {"en": "wire.example", "id": "berita.example", "ru": "novosti.example",
              "uk": "novyny.example"}


def date_phrase(lang, d, published, rng):
    if lang == "en":
        if (published - d).days in range(1, 6) and rng.random() < 0.4:
            return "On " + WEEKDAYS_EN[d.weekday()]
        return f"On {d.day} {MONTHS['en'][d.month - 1]} {d.year}"
    if lang == "id":
        if (published - d).days == 1 and rng.random() < 0.4:
            return "Kemarin"
        return f"Pada {d.day} {MONTHS['id'][d.month - 1]} {d.year}"
    if lang == "ru":
        return f"{d.day} {MONTHS['ru'][d.month - 1]} {d.year} года"
    return f"{d.day} {MONTHS['uk'][d.month - 1]} {d.year} року"


def main() -> None:
    n, out = int(sys.argv[1]), sys.argv[2]
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    start = datetime.date(2022, 2, 24)
    span = (datetime.date(2026, 6, 30) - start).days
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            lang = rng.choices(["en", "id", "ru", "uk"], [0.5, 0.2, 0.15, 0.15])[0]
            published = start + datetime.timedelta(days=int(span * i / n) + rng.randrange(3))
            sentences = []
            for _ in range(rng.randrange(2, 4)):
                d = published - datetime.timedelta(days=rng.randrange(0, 4))
                s = rng.choice(EVENTS[lang]).format(
                    d=date_phrase(lang, d, published, rng), r=rng.choice(REGIONS[lang]))
                sentences.append(s[0].upper() + s[1:])
            # "Read more:" / "Baca juga:" end an article's body for the cleaner: last only.
            body, tail = [f for f in FILLER[lang] if ":" not in f], [f for f in FILLER[lang] if ":" in f]
            for _ in range(rng.randrange(3, 6)):
                sentences.insert(rng.randrange(1, len(sentences) + 1), rng.choice(body))
            if tail and rng.random() < 0.3:
                sentences.append(rng.choice(tail))
            title = sentences[0].split(",")[0][:90]
            text = " ".join(sentences) + f"\n\n(story {i:06d}-{rng.randrange(1 << 30):x})"
            f.write(json.dumps({
                "url": f"https://{PUBLISHERS[lang]}/{published:%Y/%m/%d}/story-{i}",
                "title": title,
                "publisher": PUBLISHERS[lang],
                "published_at": published.isoformat(),
                "language": lang,
                "text": text,
            }, ensure_ascii=False) + "\n")
    print(f"{n} articles in {out}")


if __name__ == "__main__":
    main()
