#!/usr/bin/env python3
"""Deterministic generator of the assistant's labelled messages.

Two sources, both labelled with the intent and every entity the analyzer should find:
  * hand-written messages (hand_written.txt), with inline entity marks: [завтра](date:+1);
  * templates expanded with fillers (service forms, dates, times, amounts, phones, e-mails),
    with noise on the template words (typos, no punctuation, emoji, lookalike letters, greetings).

The held-out split is decided per template and per hand-written message (a hash of its text), so a
test message never shares its wording frame with a training one. All dates resolve against
NOW = 2026-11-18T10:00:00+03:00 (a Wednesday), Europe/Moscow.

Usage: python3 tools/intent-data/generate_messages.py [--out src/Paylink.Assistant/Data]
"""
import argparse, datetime, hashlib, json, os, random, re

NOW = datetime.date(2026, 11, 18)
HERE = os.path.dirname(os.path.abspath(__file__))
TEST_SHARE = 4  # one in four templates / hand-written messages of each intent is held out


def d(offset_or_iso):
    if isinstance(offset_or_iso, int):
        return (NOW + datetime.timedelta(days=offset_or_iso)).isoformat()
    return offset_or_iso


def key_hash(key):
    return int(hashlib.md5(("paylink-split:" + key).encode()).hexdigest(), 16)


def held_out(keys_by_group):
    """Stratified split: in each group (an intent) the keys with the lowest hashes, one in TEST_SHARE, are held out."""
    test = set()
    for keys in keys_by_group.values():
        ranked = sorted(set(keys), key=key_hash)
        test.update(ranked[:max(1, round(len(ranked) / TEST_SHARE))])
    return test

# ------------------------------------------------------------------ service surface forms
# Per catalog: service id (None = ambiguous mention) -> forms by grammatical role:
#   a = after "на"/"хочу" (accusative), g = genitive ("цена ..."), n = nominative ("... сколько"), e = English.
SERVICES = {
    "salon": {
        "manicure": dict(a=["маникюр", "маникюрчик", "маник", "маникур", "маникюр классический"], g=["маникюра", "маникюрчика", "маникюра классического"], n=["маникюр", "маникюрчик"], e=["a manicure", "manicure"]),
        "manicure-gel": dict(a=["маникюр с покрытием", "маникюр с гель-лаком", "гель-лак", "покрытие гель лаком", "шеллак", "маникюр + гель лак"], g=["маникюра с покрытием", "гель-лака", "покрытия гель-лаком"], n=["маникюр с покрытием", "гель лак"], e=["gel manicure"]),
        "pedicure": dict(a=["педикюр", "педикюрчик", "педекюр"], g=["педикюра", "педикюрчика"], n=["педикюр"], e=["a pedicure", "pedicure"]),
        "haircut-women": dict(a=["женскую стрижку", "стрижку женскую", "женскую стрижечку"], g=["женской стрижки", "стрижки женской"], n=["женская стрижка", "стрижка женская"], e=[]),
        "haircut-men": dict(a=["мужскую стрижку", "стрижку мужскую", "стрижку к барберу"], g=["мужской стрижки"], n=["мужская стрижка"], e=[]),
        "haircut-kids": dict(a=["детскую стрижку", "стрижку ребенку"], g=["детской стрижки"], n=["детская стрижка"], e=[]),
        None: dict(a=["стрижку", "стрижечку"], g=["стрижки"], n=["стрижка"], e=["a haircut", "haircut"]),
        "coloring": dict(a=["окрашивание", "покраску волос", "окрашивание волос", "окрашиванье"], g=["окрашивания", "покраски волос"], n=["окрашивание", "покраска волос"], e=["hair coloring"]),
        "brows": dict(a=["коррекцию бровей", "брови", "бровки", "оформление бровей"], g=["коррекции бровей", "бровей"], n=["коррекция бровей", "брови"], e=["brows"]),
        "lashes": dict(a=["наращивание ресниц", "ресницы", "реснички"], g=["наращивания ресниц", "ресниц"], n=["наращивание ресниц", "ресницы"], e=["lashes"]),
        "styling": dict(a=["укладку", "укладочку", "прическу", "укладку волос"], g=["укладки", "прически"], n=["укладка", "прическа"], e=[]),
    },
    "clinic": {
        "therapist": dict(a=["прием терапевта", "терапевта", "консультацию терапевта", "прием к терапевту"], g=["приема терапевта", "терапевта"], n=["прием терапевта", "терапевт"], e=[]),
        "dentist-checkup": dict(a=["осмотр стоматолога", "стоматолога", "осмотр у стоматолога"], g=["осмотра стоматолога"], n=["осмотр стоматолога", "стоматолог"], e=["a dentist"]),
        "teeth-cleaning": dict(a=["чистку зубов", "проф чистку зубов", "профессиональную чистку зубов", "чистку"], g=["чистки зубов"], n=["чистка зубов"], e=["teeth cleaning"]),
        "blood-test": dict(a=["анализ крови", "общий анализ крови", "оак"], g=["анализа крови"], n=["анализ крови"], e=["a blood test"]),
        "ultrasound": dict(a=["узи", "узи брюшной полости", "узи живота"], g=["узи"], n=["узи"], e=["an ultrasound"]),
        "ecg": dict(a=["экг", "кардиограмму", "электрокардиограмму"], g=["экг", "кардиограммы"], n=["экг", "кардиограмма"], e=["an ecg"]),
        "massage-back": dict(a=["массаж спины", "массаж", "массажик"], g=["массажа спины", "массажа"], n=["массаж спины", "массаж"], e=["a back massage", "massage"]),
        "physio": dict(a=["физиотерапию", "физио", "физиопроцедуры"], g=["физиотерапии"], n=["физиотерапия"], e=["physiotherapy"]),
    },
    "trainer": {
        "personal-training": dict(a=["персональную тренировку", "персоналку", "тренировку", "трениировку"], g=["персональной тренировки", "тренировки"], n=["персональная тренировка", "тренировка"], e=["a personal training", "a workout"]),
        "split-training": dict(a=["сплит-тренировку", "тренировку вдвоем", "сплит"], g=["сплит-тренировки"], n=["сплит-тренировка"], e=[]),
        "stretching": dict(a=["растяжку", "стретчинг", "растяжечку"], g=["растяжки", "стретчинга"], n=["растяжка", "стретчинг"], e=["stretching"]),
        "yoga": dict(a=["йогу", "занятие йогой"], g=["йоги", "занятия йогой"], n=["йога"], e=["yoga", "a yoga class"]),
        "nutrition-plan": dict(a=["план питания", "программу питания", "диету"], g=["плана питания", "программы питания"], n=["план питания"], e=["a nutrition plan"]),
        "pack-10": dict(a=["абонемент на 10 тренировок", "абонемент"], g=["абонемента"], n=["абонемент"], e=[]),
        "boxing": dict(a=["бокс", "тренировку по боксу"], g=["бокса", "тренировки по боксу"], n=["бокс"], e=["boxing"]),
    },
    "consultant": {
        "consult-60": dict(a=["консультацию", "часовую консультацию", "консультацию 60 минут"], g=["консультации", "часовой консультации"], n=["консультация"], e=["a consultation"]),
        "consult-30": dict(a=["экспресс-консультацию", "короткую консультацию"], g=["экспресс-консультации"], n=["экспресс-консультация"], e=[]),
        "tax-return": dict(a=["заполнение декларации", "декларацию 3-ндфл", "3-ндфл", "декларацию"], g=["заполнения декларации", "декларации"], n=["декларация 3-ндфл"], e=["a tax return"]),
        "contract-review": dict(a=["проверку договора", "договор на проверку"], g=["проверки договора"], n=["проверка договора"], e=["a contract review"]),
        "company-reg": dict(a=["регистрацию ооо", "открытие ооо"], g=["регистрации ооо"], n=["регистрация ооо"], e=[]),
        "ip-reg": dict(a=["регистрацию ип", "открытие ип"], g=["регистрации ип"], n=["регистрация ип"], e=[]),
        None: dict(a=["регистрацию"], g=["регистрации"], n=["регистрация"], e=[]),
        "audit": dict(a=["аудит", "аудит бизнеса"], g=["аудита"], n=["аудит"], e=["an audit"]),
    },
    "shop": {
        "candle": dict(a=["свечу", "свечку", "ароматическую свечу"], g=["свечи", "свечки"], n=["свеча", "свечка"], e=["a candle"]),
        "soap": dict(a=["мыло", "мыльце", "мыло ручной работы"], g=["мыла"], n=["мыло"], e=["soap"]),
        "gift-box": dict(a=["подарочный набор", "набор"], g=["подарочного набора", "набора"], n=["подарочный набор", "набор"], e=["a gift box"]),
        "certificate": dict(a=["сертификат", "подарочный сертификат", "сертик"], g=["сертификата"], n=["сертификат"], e=["a gift card"]),
        "mug": dict(a=["кружку", "чашку", "керамическую кружку", "кружечку"], g=["кружки"], n=["кружка"], e=["a mug"]),
        "tea": dict(a=["чай", "травяной чай"], g=["чая"], n=["чай"], e=["tea"]),
        "delivery": dict(a=["доставку", "курьера"], g=["доставки"], n=["доставка"], e=["delivery"]),
    },
}
CATALOGS = list(SERVICES)

# ------------------------------------------------------------------ date / time / amount fillers
DATES = [("завтра", 1), ("послезавтра", 2), ("сегодня", 0), ("в пятницу", 2), ("в понедельник", 5), ("во вторник", 6),
         ("в среду", 7), ("в четверг", 1), ("в субботу", 3), ("в воскресенье", 4), ("на следующей неделе во вторник", 6),
         ("в следующую пятницу", 9), ("в эту субботу", 3), ("20.11", 2), ("на 25.11", 7), ("1.12", 13), ("20 ноября", 2),
         ("25 ноября", 7), ("на 3 декабря", 15), ("10 января", "2027-01-10"), ("через 2 дня", 2), ("через неделю", 7),
         ("на выходных", 3), ("на двадцать пятое", 7), ("27-го", 9), ("в пт", 2), ("на завтра", 1), ("завтра утром", 1),
         ("на следующей неделе в среду", 7), ("12.11", "2027-11-12"), ("30 ноября", 12), ("в ближайшую субботу", 3)]
TIMES = [("в 15:00", "15:00"), ("в 3 часа дня", "15:00"), ("к половине пятого", "16:30"), ("после 18", "18:00"),
         ("в 10 утра", "10:00"), ("в 7 вечера", "19:00"), ("в 12", "12:00"), ("в 11:30", "11:30"), ("в 18-00", "18:00"),
         ("в полдень", "12:00"), ("в пять", "17:00"), ("в два часа", "14:00"), ("полпятого", "16:30"),
         ("без четверти шесть", "17:45"), ("вечером в 7", "19:00"), ("в 9.30", "09:30"), ("часов в 5", "17:00"),
         ("в 14", "14:00"), ("в 8 вечера", "20:00"), ("утром", None), ("вечером", None), ("к 10", "10:00"),
         ("в 16.00", "16:00"), ("на 13:30", "13:30"), ("после обеда", None), ("в час дня", "13:00"), ("к 9 утра", "09:00")]
DATES_EN = [("tomorrow", 1), ("on friday", 2), ("next tuesday", 6), ("on monday", 5), ("today", 0), ("nov 20", 2),
            ("on 25 november", 7), ("on saturday", 3), ("the day after tomorrow", 2), ("on december 1st", 13)]
TIMES_EN = [("at 3pm", "15:00"), ("at 10am", "10:00"), ("at 4:30 pm", "16:30"), ("at 11", "11:00"), ("at noon", "12:00"),
            ("in the morning", None), ("at 6 pm", "18:00"), ("at 2", "14:00"), ("at 9:15 am", "09:15")]
AMOUNTS = [("2500", 250000), ("2 500 ₽", 250000), ("2500р", 250000), ("1500 руб", 150000), ("тысячу", 100000),
           ("полторы тысячи", 150000), ("1,5к", 150000), ("3к", 300000), ("две тысячи", 200000), ("3 тыс", 300000),
           ("две тысячи пятьсот рублей", 250000), ("пятьсот рублей", 50000), ("1200", 120000), ("4 000", 400000),
           ("5000 рублей", 500000), ("800р", 80000), ("1800 ₽", 180000), ("2700", 270000), ("три тысячи", 300000),
           ("6000р.", 600000), ("650 рублей", 65000), ("1.5k", 150000), ("7 000 руб.", 700000), ("пару тысяч", 200000)]
AMOUNTS_EN = [("2500 rub", 250000), ("1500", 150000), ("3000 rubles", 300000), ("$20", 2000), ("1.5k", 150000), ("1800", 180000)]
NAMES = ["anna", "ivan.petrov", "olga85", "m.smirnova", "kate_k", "dmitry", "alex.ivanov", "natasha.s", "pavel1990", "yulia"]
DOMAINS = ["mail.ru", "gmail.com", "yandex.ru", "bk.ru", "inbox.ru", "list.ru", "outlook.com"]
PHONE_FORMATS = ["+7 {a} {b}-{c}-{d}", "8{a}{b}{c}{d}", "8 ({a}) {b} {c} {d}", "{a}{b}{c}{d}", "+7{a}{b}{c}{d}",
                 "8-{a}-{b}-{c}-{d}", "+7 ({a}) {b}-{c}-{d}", "8 {a} {b} {c} {d}"]


def phone(rng):
    a = "9" + "".join(rng.choice("0123456789") for _ in range(2))
    b = "".join(rng.choice("0123456789") for _ in range(3))
    c = "".join(rng.choice("0123456789") for _ in range(2))
    e = "".join(rng.choice("0123456789") for _ in range(2))
    return rng.choice(PHONE_FORMATS).format(a=a, b=b, c=c, d=e), "+7" + a + b + c + e


def email(rng):
    e = rng.choice(NAMES) + "@" + rng.choice(DOMAINS)
    return e, e

# ------------------------------------------------------------------ templates
# (intent, catalogs ("*" = any), template). Slots: {svc} {svc_g} {svc_n} {svc_e} {date} {time} {date_e} {time_e}
# {amount} {amount_e} {phone} {email}; a trailing ? makes a slot optional ({date?}).
T = []
def add(intent, cats, *templates):
    for t in templates:
        T.append((intent, cats, t))

APPOINTMENTS = ["salon", "clinic", "trainer", "consultant"]
add("book", APPOINTMENTS,
    "хочу записаться на {svc} {date?} {time?}", "запишите меня на {svc} {date}", "можно записаться на {svc} {date} {time}?",
    "а есть свободное время {date} {time}? хочу на {svc}", "{date} {time} на {svc} можно?", "здравствуйте, хотела бы записаться на {svc}",
    "нужна запись на {svc} {date?}", "есть окошко на {svc} {date}?", "мне бы {svc} {date} {time?}",
    "запишите на {svc} {date} {time}, мой номер {phone}", "хочу к вам на {svc} {date?}", "свободно {date} {time}? запишусь на {svc}",
    "можно на {svc} {time} {date}", "хочу {svc} {date?}", "подскажите, можно записаться {date}? на {svc}",
    "запись на {svc} {date} есть?", "а {date} на {svc} есть места", "планирую {svc} {date}, запишете?",
    "добрый вечер! хочу прийти на {svc} {date} {time}", "запишите пожалуйста {date} {time} на {svc}, {phone}",
    "хочу записаться, {svc}, {date}, почта {email}", "займите для меня время {date} {time} на {svc}",
    "я хочу на {svc}, когда ближайшее свободное?", "давайте {date} {time}, {svc}")
add("book", ["shop"],
    "хочу купить {svc}", "закажу {svc}, доставка {date?}", "можно заказать {svc} с доставкой {date}?", "оформите {svc}, телефон {phone}",
    "беру {svc}", "отложите мне {svc} пожалуйста", "хочу заказать {svc} в подарок", "оформите заказ: {svc}, почта {email}")
add("book", APPOINTMENTS,
    "book {svc_e} {date_e} {time_e?}", "can i book {svc_e} for {date_e}?", "i'd like to book {svc_e}", "hi, i want {svc_e} {date_e} {time_e}",
    "is there a slot {date_e} {time_e} for {svc_e}?")
add("price", "*",
    "сколько стоит {svc_n}?", "какая цена на {svc}", "почем {svc_n}", "цена {svc_g}?", "стоимость {svc_g}", "а {svc_n} сколько",
    "прайс на {svc} скиньте", "сколько будет стоить {svc_n} {date?}?", "сколько у вас стоит {svc_n}", "скиньте прайс пожалуйста",
    "какие цены?", "во сколько обойдется {svc_n}", "{svc_n} почем у вас?", "а цена какая на {svc}", "сколько денег за {svc}",
    "подскажите стоимость {svc_g}", "дорого {svc_n} стоит?", "сколько сейчас стоит {svc_n}, есть скидки?", "цены на {svc} изменились?",
    "how much is {svc_e}", "what's the price of {svc_e}?", "price for {svc_e}?", "how much does {svc_e} cost")
add("pay", "*",
    "как оплатить {svc}?", "пришлите ссылку на оплату", "хочу оплатить {amount}", "скиньте реквизиты для оплаты", "можно оплатить картой?", "отправьте счет на {email}", "оплачу сейчас, куда платить",
    "куда перевести {amount}?", "выставьте счет на {amount}", "можно по сбп оплатить", "скиньте ссылку, оплачу {svc}",
    "хочу внести предоплату {amount}", "пришлите счет на оплату {svc_g}",
    "можно оплатить заранее?", "ссылку на оплату на номер {phone} пришлите", "send me the payment link", "how can i pay?", "can i pay by card")
add("reschedule", "*",
    "можно перенести запись на {date} {time?}?", "перенесите меня на {date}", "не успеваю, давайте перенесем {time}",
    "хочу перенести {svc} на {date}", "можно сдвинуть {time}?", "поменяйте время записи на {date} {time}",
    "я не смогу {date}, можно на другой день?", "перезапишите меня на {date} {time}", "давайте лучше {date}, перенесите",
    "можно поменять дату? лучше {date}", "опаздываю, можно перенести {time}", "перенос записи на {date} возможен?",
    "нужно перенести {svc} с сегодняшнего дня", "переставьте меня {time} {date?}", "хочу изменить время записи",
    "can we move my appointment {date_e}?", "please reschedule me {date_e} {time_e}", "can i change the time to {time_e}?")
add("cancel", "*",
    "отмените запись на {date}", "хочу отменить {svc}", "не смогу прийти {date}, отмените пожалуйста", "отменяю запись",
    "заказ больше не нужен, отмените", "отмена записи на {svc}", "отмените мой заказ", "я не приду, снимите бронь",
    "не получится прийти, отмена", "уберите меня из записи {date?}", "отпишите меня с {svc_g}", "передумала, отмените {svc}",
    "please cancel my booking", "cancel my {svc_e} {date_e?}", "i need to cancel")
add("refund", "*",
    "верните деньги за {svc}", "хочу вернуть {amount}", "оформите возврат {amount}", "деньги списались дважды, верните {amount}",
    "прошу возврат средств", "когда вернут деньги?", "услугу не оказали, верните оплату", "хочу возврат за {svc}",
    "верните предоплату {amount}", "сделайте возврат на карту", "как получить деньги назад?", "мне нужен возврат, заказ отменен",
    "refund please", "i want my money back", "please refund {amount_e}")
add("confirm", "*",
    "да", "да, подходит", "ок", "окей", "давайте", "да, записывайте", "хорошо", "согласна", "подтверждаю", "отлично, подходит",
    "да {date} {time} норм", "да, {time} удобно", "годится", "да, всё верно", "идет", "ага, подойдет", "конечно, давайте",
    "yes", "ok sounds good", "yes please", "perfect")
add("decline", "*",
    "нет", "нет, не подходит", "неудобно", "не, спасибо", "не надо", "нет, это время не подходит", "не хочу", "не, давайте без этого",
    "нет, {time} не могу", "не подходит {date}", "нет, не надо ничего", "откажусь", "не интересно", "no", "no thanks", "that doesn't work for me")
add("greeting", "*",
    "привет", "здравствуйте", "добрый день!", "спасибо", "спасибо большое!", "доброе утро", "добрый вечер", "хорошего дня",
    "приветик", "здрасте", "благодарю", "hi", "hello", "thanks!", "good morning")
add("status", "*",
    "оплатила {amount}", "перевел {amount}, проверьте", "оплата прошла?", "я оплатила {svc} {amount}, пришел чек?", "оплатил только что, гляньте",
    "i paid {amount_e}", "оплату видите?", "деньги дошли?", "я оплатил, всё ок?", "пришла оплата от меня?", "оплатила, проверьте пожалуйста",
    "вы получили оплату за {svc}?", "скинула предоплату, дошло?", "у меня списалось, а подтверждения нет", "запись подтверждена?",
    "моя запись {date} в силе?", "я записана на {svc}?", "оплата не проходит, что делать", "статус оплаты какой?", "чек пришлете?",
    "did you get my payment?", "is my booking confirmed?", "i have paid, can you check", "payment done", "оплачено, ждите меня {date}",
    "только что заплатила, всё прошло?", "деньги ушли, у вас отобразилось?", "оплату получили?", "подскажите, оплата дошла до вас?",
    "я уже перевела, посмотрите", "внесла предоплату, теперь я записана?", "оплатил по ссылке, что дальше?", "платеж прошел или нет?",
    "с карты списали {amount}, это ваша оплата?", "пришло смс о списании, у вас видно?", "вроде оплатила, но не уверена",
    "гляньте пожалуйста пришли ли деньги", "моя оплата дошла?", "подтвердите получение оплаты", "я оплатил, запись теперь точно есть?",
    "did the payment go through?", "i just paid, is everything ok?", "can you see my payment?", "am i booked for {date_e}?")
add("info", "*",
    "где вы находитесь?", "есть парковка?", "а вы работаете {date}?", "какой у вас адрес", "можно с собакой?", "как к вам проехать",
    "сколько длится {svc_n}?", "какие мастера работают {date}?", "до скольки вы работаете?", "у вас есть вайфай?", "что взять с собой на {svc}?",
    "у меня аллергия, это нормально?", "what are your opening hours", "do you have parking", "вы где?", "часы работы какие", "можно привести ребенка?",
    "сколько по времени {svc_n}?", "а {svc_n} долго делается?", "что входит в {svc}?", "как подготовиться к {svc_g}?", "это больно?",
    "а вы с какого возраста принимаете?", "гарантия на {svc} есть?", "how long does {svc_e} take?", "what is included in {svc_e}?",
    "where are you located", "do you work on sunday", "а {svc_n} на сколько хватает?", "вы до скольки {date}?",
    "а сколько по времени займет {svc_n}?", "за сколько часов управитесь с {svc}?", "есть ли противопоказания?", "нужна ли предварительная подготовка?",
    "какие у вас мастера?", "кто делает {svc}?", "есть рассрочка?",
    "как долго длится {svc_n}?", "а что нужно принести?", "вы в каком районе?", "do i need to bring anything?", "who does {svc_e}?")
add("other", "*",
    "позовите администратора", "а можно поговорить с человеком", "соедините с менеджером", "вы бот?", "ничего не поняла",
    "ываываыва", "погода сегодня хорошая", "can i talk to a person", "мне нужен живой человек", "а вы вакансии есть?",
    "перезвоните мне", "ошиблась чатом, извините")

# ------------------------------------------------------------------ noise
EMOJI = ["🙂", "😊", "🙏", "❤️", "👍", "😅", "💅", "✨", "🔥", ")))", "))", "!!"]
PREFIXES = ["привет! ", "здравствуйте, ", "добрый день. ", "девочки, ", "слушайте, ", "ой, ", "hi, ", "алло "]
LOOKALIKE = {"о": "o", "а": "a", "е": "e", "р": "p", "с": "c"}


def typo(word, rng):
    if len(word) < 5 or not re.fullmatch(r"[а-яё]+", word):
        return word
    i = rng.randrange(1, len(word) - 2)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind < 0.7:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def noisy_frame(text, rng, english):
    """Noise on template words only (never inside a slot)."""
    words = text.split(" ")
    if not english and rng.random() < 0.25:
        k = rng.randrange(len(words))
        words[k] = typo(words[k], rng)
    if not english and rng.random() < 0.08:
        k = rng.randrange(len(words))
        w = words[k]
        for c, l in LOOKALIKE.items():
            if c in w:
                words[k] = w.replace(c, l, 1)
                break
    return " ".join(words)


def render(template, cat, svc_id, forms, rng, english):
    strip_punctuation = rng.random() < 0.25
    labels = dict(serviceId=None, date=None, time=None, amountMinor=None, phone=None, email=None)
    out = []
    pos = 0
    for m in re.finditer(r"\{(\w+)(\?)?\}", template):
        out.append(("frame", template[pos:m.start()]))
        pos = m.end()
        slot, optional = m.group(1), m.group(2)
        if optional and rng.random() < 0.5:
            continue
        if slot.startswith("svc"):
            role = {"svc": "a", "svc_g": "g", "svc_n": "n", "svc_e": "e"}[slot]
            out.append(("slot", rng.choice(forms[role])))
            labels["serviceId"] = svc_id
        elif slot in ("date", "date_e"):
            phrase, value = rng.choice(DATES if slot == "date" else DATES_EN)
            out.append(("slot", phrase)); labels["date"] = d(value)
        elif slot in ("time", "time_e"):
            phrase, value = rng.choice(TIMES if slot == "time" else TIMES_EN)
            out.append(("slot", phrase)); labels["time"] = value
        elif slot in ("amount", "amount_e"):
            phrase, value = rng.choice(AMOUNTS if slot == "amount" else AMOUNTS_EN)
            out.append(("slot", phrase)); labels["amountMinor"] = value
        elif slot == "phone":
            phrase, value = phone(rng); out.append(("slot", phrase)); labels["phone"] = value
        elif slot == "email":
            phrase, value = email(rng); out.append(("slot", phrase)); labels["email"] = value
    out.append(("frame", template[pos:]))
    # Noise touches template words only: "20.11" or "mail.ru" inside a slot keep their dots.
    def frame(s):
        s = noisy_frame(s, rng, english)
        return re.sub(r"[?,.!]", "", s) if strip_punctuation else s
    text = "".join(frame(s) if kind == "frame" else s for kind, s in out)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([?,!])", r"\1", text)
    if not strip_punctuation and rng.random() < 0.12:
        text = text[0].upper() + text[1:]
    if rng.random() < 0.15:
        text = text + " " + rng.choice(EMOJI)
    return text, labels


def expand_templates(rng, per_template):
    rows = []
    groups = {}
    for intent, _, template in T:
        groups.setdefault(intent, []).append(intent + "|" + template)
    test = held_out(groups)
    for intent, cats, template in T:
        split = "test" if intent + "|" + template in test else "train"
        english = bool(re.search(r"[a-z]{3}", re.sub(r"\{[^}]*\}", "", template)))
        seen = set()
        needs_service = "{svc" in template
        for _ in range(per_template * 3):
            if len(seen) >= per_template:
                break
            cat = rng.choice(CATALOGS if cats == "*" else cats)
            role = None
            if needs_service:
                role = re.search(r"\{(svc\w*)", template).group(1)
                role = {"svc": "a", "svc_g": "g", "svc_n": "n", "svc_e": "e"}[role]
                choices = [(sid, f) for sid, f in SERVICES[cat].items() if f[role]]
                if not choices:
                    continue
                svc_id, forms = rng.choice(choices)
            else:
                svc_id, forms = None, None
            prefix = ""
            if intent not in ("greeting", "confirm", "decline") and not english and rng.random() < 0.12:
                prefix = rng.choice(PREFIXES)
            text, labels = render(template, cat, svc_id, forms, rng, english)
            text = prefix + text
            if text in seen:
                continue
            seen.add(text)
            rows.append(dict(split=split, group="t" + str(key_hash(intent + "|" + template) % 100000), text=text, intent=intent, catalog=cat, **labels))
    return rows

# ------------------------------------------------------------------ hand-written messages


STATUS_WORDS = re.compile(r"(оплатил|оплатила|перевел|перевела|перевёл|скинул|оплата прошла|прошла ли|\bpaid\b|списал)")
PAY_REQUEST = re.compile(r"(ссылк|как оплатить|хочу оплатить|куда|реквизит|счет|счёт|можно оплатить|оплачу)")


def relabel(intent, text):
    """The hand-written lines predate the status and info intents: a payment report is status, and the "other"
    blocks (all questions about the business) are info (the old labels were pay and other)."""
    t = text.lower()
    if intent == "pay" and STATUS_WORDS.search(t) and not PAY_REQUEST.search(t):
        return "status"
    if intent == "other":
        return "info"  # every hand-written "other" line is a question about the business
    return intent


def parse_hand_written(path):
    rows = []
    cat = intent = None
    for raw in open(path, encoding="utf-8"):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@"):
            cat, intent = line[1:].split()
            continue
        labels = dict(serviceId=None, date=None, time=None, amountMinor=None, phone=None, email=None)
        def repl(m):
            surface, kind, value = m.group(1), m.group(2), m.group(3)
            if value == "None":
                pass  # talk about the entity without a single value ("на следующей неделе", "утром")
            elif kind == "svc":
                labels["serviceId"] = None if value == "?" else value
            elif kind == "date":
                labels["date"] = d(int(value)) if re.fullmatch(r"[+-]?\d+", value) else value
            elif kind == "time":
                labels["time"] = value
            elif kind == "amount":
                labels["amountMinor"] = int(value)
            elif kind == "phone":
                labels["phone"] = value
            elif kind == "email":
                labels["email"] = value
            else:
                raise ValueError(f"unknown mark {kind} in {line}")
            return surface
        text = re.sub(r"\[([^\]]+)\]\((\w+):([^)]+)\)", repl, line)
        rows.append(dict(split=None, group="h" + str(key_hash(text) % 100000), text=text, intent=relabel(intent, text), catalog=cat, **labels))
    groups = {}
    for r in rows:
        groups.setdefault(r["intent"], []).append("hand|" + r["text"])
    test = held_out(groups)
    for r in rows:
        r["split"] = "test" if "hand|" + r["text"] in test else "train"
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(HERE, "..", "..", "src", "Paylink.Assistant", "Data"))
    ap.add_argument("--per-template", type=int, default=10)
    args = ap.parse_args()
    rng = random.Random(20261118)
    rows = parse_hand_written(os.path.join(HERE, "hand_written.txt")) + expand_templates(rng, args.per_template)
    seen = set()
    unique = []
    for r in rows:
        key = r["text"].lower()
        if key in seen:
            continue
        seen.add(key)
        unique.append(r)
    for split in ("train", "test"):
        path = os.path.join(args.out, f"{split}.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for r in unique:
                if r["split"] != split:
                    continue
                row = {k: r[k] for k in ("text", "intent", "catalog", "serviceId", "date", "time", "amountMinor", "phone", "email", "group")}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts = {}
    for r in unique:
        counts.setdefault(r["split"], {}).setdefault(r["intent"], 0)
        counts[r["split"]][r["intent"]] += 1
    for split, c in sorted(counts.items()):
        print(split, sum(c.values()), dict(sorted(c.items())))


if __name__ == "__main__":
    main()
