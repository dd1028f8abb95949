"""Blueprints, one package per audience; they never import each other."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Mount every blueprint; templates name the HR floor through ``hr_floor``."""
    from coach.scoring.hr_anonymity import HR_MIN_N
    from coach.web.admin.routes import bp as admin_bp
    from coach.web.api.routes import bp as api_bp
    from coach.web.assess.routes import bp as assess_bp
    from coach.web.auth.routes import bp as auth_bp
    from coach.web.directory.routes import bp as directory_bp
    from coach.web.feedback.routes import bp as feedback_bp
    from coach.web.hr.routes import bp as hr_bp
    from coach.web.main.routes import bp as main_bp
    from coach.web.plans.routes import bp as plans_bp
    from coach.web.rate.routes import bp as rate_bp

    app.jinja_env.globals["hr_floor"] = HR_MIN_N
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(assess_bp, url_prefix="/assessments")
    app.register_blueprint(directory_bp, url_prefix="/directory")
    app.register_blueprint(feedback_bp, url_prefix="/feedback")
    app.register_blueprint(plans_bp, url_prefix="/plans")
    app.register_blueprint(rate_bp)
    app.register_blueprint(hr_bp, url_prefix="/hr")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
