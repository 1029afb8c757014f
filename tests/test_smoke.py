def test_sample_books_check_clean(sample_books):
    result = sample_books.run("check")
    assert result.exit_code == 0, result.output


def test_add_invoice_one_commit(books):
    before = books.commit_count()
    result = books.run("add", "invoice", "acme", "100.00")
    assert result.exit_code == 0, result.output
    assert books.commit_count() == before + 1
