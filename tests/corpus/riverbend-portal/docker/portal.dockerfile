FROM node:18-alpine as frontend
WORKDIR /ui
COPY frontend/ .
RUN npm ci && npm run build

FROM python:3.8-slim-buster
COPY --from=frontend /ui/build /srv/portal/static
COPY . /srv/portal
RUN pip install -r /srv/portal/requirements.txt
CMD ["gunicorn", "-b", "0.0.0.0:8000", "portal.wsgi"]