# A file the self-test opens in the editor.
def hello(name):
    return f"hello {name}"
