#!/usr/bin/env python3
"""Write data/gazetteer/region-names-by-language.tsv: region names that hold in one
language only (the self-proclaimed republics, front "directions"), with the Russian
and Ukrainian case forms of each direction expanded from its adjective stem.

Usage: python3 scripts/build_region_names.py   (standard library only; deterministic)
"""
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "gazetteer" / "region-names-by-language.tsv"
rows=[]
def add(lang, iso, forms): rows.append((lang, iso, forms))
# Self-proclaimed republics, by language ("DPR" is the Indonesian parliament: en only).
add('en','UA-14',["DPR","DNR","Donetsk People's Republic","Donetsk Peoples Republic","Donetsk Republic"])
add('en','UA-09',["LPR","LNR","Luhansk People's Republic","Lugansk People's Republic","Luhansk Peoples Republic","Lugansk Peoples Republic","Luhansk Republic","Lugansk Republic"])
add('id','UA-14',["Republik Rakyat Donetsk","RRD"])
add('id','UA-09',["Republik Rakyat Luhansk","Republik Rakyat Lugansk","RRL"])
ru_dnr=["ДНР","Донецкая Народная Республика","Донецкой Народной Республики","Донецкой Народной Республике","Донецкую Народную Республику","Донецкой народной республики","Донецкая народная республика","Донецкой народной республике"]
ru_lnr=["ЛНР","Луганская Народная Республика","Луганской Народной Республики","Луганской Народной Республике","Луганскую Народную Республику","Луганской народной республики","Луганская народная республика","Луганской народной республике"]
add('ru','UA-14',ru_dnr); add('ru','UA-09',ru_lnr)
add('uk','UA-14',["ДНР","Донецька народна республіка","Донецької народної республіки"])
add('uk','UA-09',["ЛНР","Луганська народна республіка","Луганської народної республіки"])
# Front directions ("the Pokrovsk direction", "на Покровском направлении", "на Покровському напрямку"),
# named after a town (or region) of the oblast they lie in.
en_dirs={
 'UA-14':["Pokrovsk","Krasnoarmeysk","Avdiivka","Avdeevka","Avdeyevka","Bakhmut","Artemovsk","Artemovskoe","Artyomovsk","Donetsk","Yuzhno-Donetsk","Yuzhnodonetsk","Yuzhno-Donets","Yuzhnodonets","South Donetsk","Krasny Liman","Krasnyi Lyman","Krasnoliman","Krasnolimansky","Krasnolimansk","Krasnolymansk","Liman","Lyman","Kramatorsk","Sloviansk","Slavyansk","Siversk","Seversk","Toretsk","Dzerzhinsk","Kurakhove","Kurakhovo","Marinka","Maryinka","Vuhledar","Ugledar","Novopavlivka","Shakhtarsk","Horlivka","Gorlovka","Vremivka","Velyka Novosilka"],
 'UA-09':["Svatove-Kreminna","Svatovo-Kremennaya","Svatovsko-Kremensky","Svatovsko-Kremenskoye","Svatove","Svatovo","Svativ","Kreminna","Kremennaya","Kreminnaya","Lysychansk","Lisichansk","Sievierodonetsk","Severodonetsk","Luhansk","Lugansk","Starobilsk"],
 'UA-63':["Kupiansk","Kupyansk","Kupjansk","Kharkiv","Kharkov","Izium","Izyum","Slobozhansky","Slobozhanskyi","Slobozhansk","Balakliia","Balakleya","Vovchansk","Volchansk"],
 'UA-23':["Zaporizhzhia","Zaporozhye","Zaporizhia","Orikhiv","Orekhov","Huliaipole","Gulyaipole","Hulyaipole","Melitopol","Tokmak","Vasylivka","Vasilievka"],
 'UA-65':["Kherson","Beryslav","Berislav","Nova Kakhovka","Kakhovka"],
 'UA-48':["Mykolaiv","Nikolaev","Nikolayev","Mykolaiv-Kryvyi Rih","Nikolaev-Krivoy Rog","Nikolaev-Kryvyi Rih","Nikolaevsko-Krivorozhsky"],
 'UA-12':["Kryvyi Rih","Krivoy Rog","Krivorozhsky"],
 'UA-59':["Sumy"],
 'RU-KRS':["Kursk","Sudzha"],
 'RU-BEL':["Belgorod"],
}
for iso,towns in en_dirs.items():
    forms=[]
    for t in towns:
        forms += [f"{t} direction", f"{t} axis", f"{t} front", f"{t} sector"]
    add('en',iso,forms)
# Russian: adjective stems; forms of "направление" in nominative/accusative, genitive,
# dative, locative.
def ru_adj(stem):  # stem without ending, e.g. "Покровск"
    return [stem+"ое направление", stem+"ого направления", stem+"ому направлению", stem+"ом направлении", stem+"ом участке фронта"]
ru_dirs={
 'UA-14':["Покровск","Красноармейск","Авдеевск","Бахмутск","Артемовск","Артёмовск","Донецк","Южно-Донецк","Южнодонецк","Краснолиманск","Лиманск","Краматорск","Славянск","Северск","Торецк","Кураховск","Марьинск","Угледарск","Времевск","Горловск","Константиновск","Дзержинск","Новопавловск","Великоновоселковск","Шахтерск","Шахтёрск"],
 'UA-09':["Сватовско-Кременск","Сватовск","Кременск","Лисичанск","Северодонецк","Луганск","Старобельск"],
 'UA-63':["Купянск","Харьковск","Изюмск","Слобожанск","Балаклейск","Волчанск"],
 'UA-23':["Запорожск","Ореховск","Гуляйпольск","Мелитопольск","Токмакск","Васильевск"],
 'UA-65':["Херсонск","Бериславск","Каховск"],
 'UA-48':["Николаевск","Николаевско-Криворожск"],
 'UA-12':["Криворожск","Днепропетровск"],
 'UA-59':["Сумск"],
}
for iso,stems in ru_dirs.items():
    forms=[]
    for s in stems: forms+=ru_adj(s)
    add('ru',iso,forms)
def uk_adj(stem):  # stem like "Покровськ"
    return [stem+"ий напрямок", stem+"ого напрямку", stem+"ому напрямку", stem+"ому напрямі", stem+"им напрямком", stem+"ій ділянці фронту"]
uk_dirs={
 'UA-14':["Покровськ","Авдіївськ","Бахмутськ","Донецьк","Південнодонецьк","Лиманськ","Краматорськ","Слов'янськ","Сіверськ","Торецьк","Курахівськ","Мар'їнськ","Вугледарськ","Времівськ","Горлівськ","Костянтинівськ","Новопавлівськ","Великоновосілківськ","Шахтарськ"],
 'UA-09':["Сватівсько-Кремінськ","Сватівськ","Кремінськ","Лисичанськ","Сєвєродонецьк","Луганськ","Старобільськ"],
 'UA-63':["Куп'янськ","Купянськ","Харківськ","Ізюмськ","Слобожанськ","Балаклійськ","Вовчанськ"],
 'UA-23':["Запорізьк","Оріхівськ","Гуляйпільськ","Мелітопольськ","Токмацьк","Василівськ"],
 'UA-65':["Херсонськ","Бериславськ","Каховськ"],
 'UA-48':["Миколаївськ"],
 'UA-12':["Криворізьк"],
 'UA-59':["Сумськ"],
}
for iso,stems in uk_dirs.items():
    forms=[]
    for s in stems: forms+=uk_adj(s)
    add('uk',iso,forms)
id_dirs={'UA-14':["Pokrovsk","Avdiivka","Bakhmut","Donetsk","Kramatorsk","Toretsk","Kurakhove","Vuhledar","Lyman","Siversk"],
 'UA-09':["Svatove","Kreminna","Luhansk"],'UA-63':["Kupiansk","Kharkiv"],'UA-23':["Zaporizhzhia","Orikhiv"],'UA-65':["Kherson"]}
for iso,towns in id_dirs.items():
    forms=[]
    for t in towns: forms+=[f"arah {t}", f"front {t}", f"poros {t}"]
    add('id',iso,forms)
import collections
with open(OUT,'w',encoding='utf-8') as f:
    f.write("""# region-names-by-language.tsv: names of first-level regions that hold in one language only.
# Read with the curated aliases of regions.tsv into that language's region matcher
# (Knowledge::region_matcher_for). Two kinds of rows:
#  * names of the self-proclaimed "people's republics" (DPR/ДНР, LPR/ЛНР) for the oblasts
#    they claim; "DPR" is also Indonesia's parliament, hence one language per row;
#  * front "directions" as army reports and war news name them ("the Pokrovsk direction",
#    "на Покровском направлении", "на Покровському напрямку"), each named after a town of
#    the oblast it lies in; Russian and Ukrainian rows give the regular case forms
#    (nominative/accusative, genitive, dative, locative) of the adjective and noun.
# Written by scripts/build_region_names.py (edit the script, not this file).
# Matching is case- and accent-insensitive on word boundaries; an alias written all in
# capitals (DPR, ДНР) matches only in capitals.
lang\tiso_code\taliases
""")
    for lang,iso,forms in rows:
        seen=[];
        for x in forms:
            if x not in seen: seen.append(x)
        f.write(f"{lang}\t{iso}\t{'|'.join(seen)}\n")
print(f"{OUT.name}: {len(rows)} rows")
