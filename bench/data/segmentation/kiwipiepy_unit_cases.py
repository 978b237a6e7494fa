"""The sentence-splitting case of kiwipiepy's unit tests (bab2min/kiwipiepy, test/test_kiwipiepy.py,
``test_split_into_sents``, commit 0b79922; Apache-2.0, Copyright bab2min): (text, the sentences the test
asserts).  Kiwi's test passes ``normalize_coda=True``; the bench calls every segmenter with its defaults."""
CASES = [
    ("다녀온 후기\n\n<강남 토끼정에 다녀왔습니다.> 음식도 맛있었어요 다만 역시 토끼정 본점 답죠?ㅎㅅㅎ 그 맛이 크으.. 아주 맛있었음...! ^^",
     ["다녀온 후기", "<강남 토끼정에 다녀왔습니다.>", "음식도 맛있었어요", "다만 역시 토끼정 본점 답죠?ㅎㅅㅎ", "그 맛이 크으..",
      "아주 맛있었음...! ^^"]),
]
