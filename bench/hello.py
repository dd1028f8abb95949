"""The ceiling: a bare Flask app that answers "Hello", served with the same gunicorn settings."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """Nothing but Flask's own request handling."""
    return "Hello"
